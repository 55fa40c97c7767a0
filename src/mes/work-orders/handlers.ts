import type { Message, ModuleDeps, Subscriptions, UnitOfWork } from '../../platform/index.ts';
import { inRuns } from '../../platform/index.ts';
import { parseMessage } from '../../messages/index.ts';
import { cancelOperationsSchedule, changeOperationsSchedule } from './change.ts';
import { acceptOperationsSchedules } from './production-requests.ts';

/**
 * The orders consumer takes a run of production requests (a bulk release) as one batch: work
 * orders in one creation, a few statements for hundreds of orders. Changes and cancellations are
 * handled one by one, in order, so a change never overtakes the request it changes.
 */
export function orderHandlers(subs: Subscriptions, deps: ModuleDeps) {
  const plan = () => ({ now: deps.clock.now(), utcOffsetMinutes: deps.config.plantUtcOffsetMinutes });
  const one = async (msg: Message, uow: UnitOfWork) => {
    if (msg.type === 'ChangeOperationsSchedule') await changeOperationsSchedule(uow, parseMessage('ChangeOperationsSchedule', msg.payload), plan());
    else await cancelOperationsSchedule(uow, parseMessage('CancelOperationsSchedule', msg.payload), deps.clock.now());
  };
  const requests = async (run: Message[], uow: UnitOfWork) => {
    const schedules = run.map((m) => ({ messageId: m.id, seq: m.seq, payload: parseMessage('ProcessOperationsSchedule', m.payload) }));
    await acceptOperationsSchedules(uow, schedules, plan());
  };
  subs.subscribeBatch(
    'mes',
    'mes.orders',
    ['ProcessOperationsSchedule', 'ChangeOperationsSchedule', 'CancelOperationsSchedule'],
    inRuns({ ProcessOperationsSchedule: requests }, one),
  );
}
