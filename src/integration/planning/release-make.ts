import { mesReleaseMakeOrders } from '../../mes/index.ts';
import type { MrpResult } from '../../planning/index.ts';
import type { UnitOfWork } from '../../platform/index.ts';

/** `releaseMake`: the run's make suggestions become make-to-stock work orders in the MES, pegged to their demand. */
export async function releaseMakeSuggestions(uow: UnitOfWork, result: MrpResult, plan: { now: Date; utcOffsetMinutes: number }) {
  const make = result.plannedOrders.filter((p) => p.kind === 'make');
  const released = await mesReleaseMakeOrders(uow, make.map((p) => ({ itemCode: p.itemCode, qty: p.qty, dueDate: p.dueDate, peggedTo: p.peggedTo })), plan);
  return { madeWorkOrders: released.workOrders, notReleased: released.skipped };
}
