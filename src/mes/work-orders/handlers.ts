import type { ModuleDeps, Subscriptions } from '../../platform/index.ts';
import { parseMessage } from '../../messages/index.ts';
import { cancelOperationsSchedule, changeOperationsSchedule } from './change.ts';
import { acceptOperationsSchedule } from './schedule.ts';

export function orderHandlers(subs: Subscriptions, deps: ModuleDeps) {
  const plan = () => ({ now: deps.clock.now(), utcOffsetMinutes: deps.config.plantUtcOffsetMinutes });
  subs.subscribe('mes', 'mes.orders', ['ProcessOperationsSchedule', 'ChangeOperationsSchedule', 'CancelOperationsSchedule'], async (msg, uow) => {
    if (msg.type === 'ProcessOperationsSchedule') {
      await acceptOperationsSchedule(uow, parseMessage('ProcessOperationsSchedule', msg.payload), plan());
    } else if (msg.type === 'ChangeOperationsSchedule') {
      await changeOperationsSchedule(uow, parseMessage('ChangeOperationsSchedule', msg.payload), plan());
    } else {
      await cancelOperationsSchedule(uow, parseMessage('CancelOperationsSchedule', msg.payload), deps.clock.now());
    }
  });
}
