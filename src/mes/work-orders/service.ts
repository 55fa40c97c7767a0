import { assertInScope, scopeParams, type UnitOfWork } from '../../platform/index.ts';
import { unprocessable } from '../../platform/index.ts';
import { cancelWorkOrders } from './change.ts';
import { createWorkOrders } from './create.ts';
import type { PlanOptions } from './plan.ts';
import { findWorkOrders, getWorkOrder, itemsWithRouting, lockWorkOrder, plantExists } from './store.ts';

/** A supervisor cancels one work order not yet completed (within their scope). */
export async function cancelWorkOrder(uow: UnitOfWork, id: string, at: Date, reason: string) {
  const wo = await lockWorkOrder(uow, id);
  assertInScope(uow.actor, { plant: wo.plant }, `work order ${id}`);
  await getWorkOrder(uow, id, scopeParams(uow.actor));
  await cancelWorkOrders(uow, [wo], at, reason);
  return getWorkOrder(uow, id);
}

export interface StockOrderInput {
  itemCode: string;
  qty: number;
  dueDate: string;
  plant?: string;
  /** Demands it covers (MRP's `peggedTo`). */
  peggedTo?: string[];
  /** One level only: MRP plans each level itself (its make suggestions of sub-assemblies come on their own). */
  singleLevel?: boolean;
}

/**
 * Work orders made for stock (no sales order), exploded per BOM level like an order's; the
 * finished lot goes into stock when the ERP receives it (ProcessProducedLot without a sales
 * order). Every level needs a routing (422 naming the items without one); the work orders
 * belong to their work centres' plant, which must be `plant` when given and inside the caller's scope.
 */
export async function createStockWorkOrders(uow: UnitOfWork, inputs: StockOrderInput[], plan: PlanOptions) {
  for (const plant of new Set(inputs.flatMap((i) => (i.plant ? [i.plant] : []))))
    if (!(await plantExists(uow, plant))) throw unprocessable(`unknown plant ${plant}`, { plant });
  const created = await createWorkOrders(
    uow,
    inputs.map((i) => ({
      itemCode: i.itemCode, qty: i.qty, dueDate: i.dueDate, plant: i.plant ?? null, salesOrder: null, lineNo: null,
      peggedTo: i.peggedTo ?? [], singleLevel: i.singleLevel ?? false, requireRouting: true,
    })),
    plan,
  );
  for (const w of created) {
    const want = inputs[w.request].plant;
    if (w.top && want && w.plant !== want)
      throw unprocessable(`${w.itemCode} is made in plant ${w.plant} (its work centres), not ${want}`, { itemCode: w.itemCode, plant: w.plant, asked: want });
    assertInScope(uow.actor, { plant: w.plant }, `plant ${w.plant}`);
  }
  return findWorkOrders(uow, { ids: created.map((w) => w.id) });
}

export interface MakeSuggestion {
  itemCode: string;
  qty: number;
  dueDate: string;
  peggedTo: string[];
}

/**
 * MRP's make suggestions become work orders for stock, one level each (MRP already planned every
 * level and netted stock between them), pegged to the demands they cover. Items without a
 * routing are skipped and said so (a run is not refused for one missing routing).
 */
export async function releaseMakeOrders(uow: UnitOfWork, suggestions: MakeSuggestion[], plan: PlanOptions) {
  const routed = new Set(await itemsWithRouting(uow, [...new Set(suggestions.map((s) => s.itemCode))]));
  const go = suggestions.filter((s) => routed.has(s.itemCode));
  const made = go.length ? await createStockWorkOrders(uow, go.map((s) => ({ ...s, singleLevel: true })), plan) : [];
  return {
    workOrders: made.map((w) => ({ id: w.id, itemCode: w.itemCode, qty: w.qty, dueDate: w.dueDate, plant: w.plant, peggedTo: w.peggedTo })),
    skipped: suggestions.filter((s) => !routed.has(s.itemCode)).map((s) => ({ itemCode: s.itemCode, qty: s.qty, reason: 'no_routing' })),
  };
}
