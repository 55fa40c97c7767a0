import { assertInScope, scopeParams, type UnitOfWork } from '../../platform/index.ts';
import { cancelWorkOrders } from './change.ts';
import { getWorkOrder, lockWorkOrder } from './store.ts';

/** A supervisor cancels one work order not yet completed (within their scope). */
export async function cancelWorkOrder(uow: UnitOfWork, id: string, at: Date, reason: string) {
  const wo = await lockWorkOrder(uow, id);
  assertInScope(uow.actor, { plant: wo.plant }, `work order ${id}`);
  await getWorkOrder(uow, id, scopeParams(uow.actor));
  await cancelWorkOrders(uow, [wo], at, reason);
  return getWorkOrder(uow, id);
}
