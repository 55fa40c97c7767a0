import type { Message, ModuleDeps, Subscriptions, UnitOfWork } from '../../platform/index.ts';
import { parseMessage } from '../../messages/index.ts';
import { cancelOperationsSchedule, changeOperationsSchedule } from './change.ts';
import { acceptOperationsSchedules } from './schedule.ts';

/**
 * The orders consumer takes its messages as a batch: a run of production requests (a bulk
 * release) becomes work orders in one creation, a few statements for hundreds of orders. Changes
 * and cancellations are handled one by one, in order, so a change never overtakes the request it
 * changes.
 */
export function orderHandlers(subs: Subscriptions, deps: ModuleDeps) {
  const plan = () => ({ now: deps.clock.now(), utcOffsetMinutes: deps.config.plantUtcOffsetMinutes });
  const one = async (msg: Message, uow: UnitOfWork) => {
    uow.correlationId = msg.correlationId;
    uow.messageId = msg.id;
    if (msg.type === 'ChangeOperationsSchedule') await changeOperationsSchedule(uow, parseMessage('ChangeOperationsSchedule', msg.payload), plan());
    else await cancelOperationsSchedule(uow, parseMessage('CancelOperationsSchedule', msg.payload), deps.clock.now());
  };
  subs.subscribeBatch('mes', 'mes.orders', ['ProcessOperationsSchedule', 'ChangeOperationsSchedule', 'CancelOperationsSchedule'], async (msgs, uow) => {
    for (let i = 0; i < msgs.length; ) {
      if (msgs[i].type !== 'ProcessOperationsSchedule') {
        await one(msgs[i++], uow);
        continue;
      }
      const run: Message[] = [];
      while (i < msgs.length && msgs[i].type === 'ProcessOperationsSchedule') run.push(msgs[i++]);
      const schedules = run.map((m) => ({ messageId: m.id, payload: parseMessage('ProcessOperationsSchedule', m.payload) }));
      await acceptOperationsSchedules(uow, schedules, plan());
    }
  });
}
