import { erpCreateRequisition, erpPlanningInputs } from '../../erp/index.ts';
import { mesComponentQty, mesKnownItems, mesPlanningInputs, mesReconcileView } from '../../mes/index.ts';
import type { LotSizing, MrpDemand, MrpInput, MrpResult, MrpScheduledReceipt } from '../../planning/index.ts';
import { isoDay, q as quantity, raiseAlert, type Clock, type Queryable, type UnitOfWork } from '../../platform/index.ts';
import type { PlanningInputs } from './shop-problem.ts';

export interface Gantt {
  workCenters: { code: string; operations: { id: string; workOrder: string; start: string; end: string; late?: boolean }[] }[];
}

/** The plan as it stands: operations of open work orders per work centre, by planned start. */
export async function ganttOf(q: Queryable): Promise<Gantt> {
  const inputs = await mesPlanningInputs(q);
  return { workCenters: groupByWorkCenter(flatten(inputs)) };
}

function flatten(inputs: PlanningInputs) {
  const rows: { id: string; workOrder: string; workCenter: string; start: string; end: string; late: boolean }[] = [];
  for (const wo of inputs.workOrders) {
    const late = !!(wo.dueDate && wo.plannedEnd && wo.plannedEnd.slice(0, 10) > wo.dueDate);
    for (const o of wo.operations)
      if (o.plannedStart && o.plannedEnd && o.status !== 'done') rows.push({ id: o.id, workOrder: wo.id, workCenter: o.workCenter, start: o.plannedStart, end: o.plannedEnd, late });
  }
  return rows;
}

export function groupByWorkCenter(rows: { id: string; workOrder: string; workCenter: string; start: string; end: string; late: boolean }[]): Gantt['workCenters'] {
  const by = new Map<string, Gantt['workCenters'][number]['operations']>();
  for (const r of rows) {
    const list = by.get(r.workCenter) ?? by.set(r.workCenter, []).get(r.workCenter)!;
    list.push({ id: r.id, workOrder: r.workOrder, start: r.start, end: r.end, late: r.late });
  }
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, operations]) => ({ code, operations: operations.sort((a, b) => a.start.localeCompare(b.start)) }));
}

/**
 * MRP over the ERP's demand and supply plus the MES's open work orders: their remaining output is a
 * scheduled receipt of their item, their not-yet-consumed components are dependent demand.
 */
export async function mrpInputs(q: Queryable, clock: Clock, horizonDays?: number): Promise<MrpInput> {
  const erp = await erpPlanningInputs(q);
  const mes = await mesPlanningInputs(q);
  const rec = await mesReconcileView(q);
  const consumed = new Map<string, number>();
  for (const c of rec.consumed) consumed.set(`${c.workOrder}/${c.itemCode}`, (consumed.get(`${c.workOrder}/${c.itemCode}`) ?? 0) + c.qty);
  const bomOf = new Map(erp.boms.map((b) => [b.parent, b.components]));
  const uoms = await mesKnownItems(q, [...new Set(erp.boms.flatMap((b) => b.components.map((c) => c.itemCode)))]);
  const today = isoDay(clock.now());
  const receipts: MrpScheduledReceipt[] = [...erp.scheduledReceipts];
  const demands: MrpDemand[] = [...erp.demands];
  for (const wo of mes.workOrders) {
    const due = (wo.plannedEnd ?? (wo.dueDate ? `${wo.dueDate}T00:00:00Z` : null))?.slice(0, 10) ?? today;
    const need = (wo.plannedStart ?? (wo.dueDate ? `${wo.dueDate}T00:00:00Z` : null))?.slice(0, 10) ?? today;
    // A sales-order line's demand is already counted at the top; a work order's output covers it.
    receipts.push({ itemCode: wo.itemCode, qty: wo.qty, dueDate: due, ref: wo.id });
    for (const c of bomOf.get(wo.itemCode) ?? []) {
      const left = mesComponentQty(wo.qty, c.qty, uoms.get(c.itemCode)?.uom ?? 'pcs', c.scrapFactor ?? 0) - (consumed.get(`${wo.id}/${c.itemCode}`) ?? 0);
      if (left > 1e-9) demands.push({ itemCode: c.itemCode, qty: quantity(left), dueDate: need, ref: wo.salesOrder ? `${wo.salesOrder}/${wo.lineNo}` : wo.id });
    }
  }
  return {
    items: erp.items.map((i) => ({ code: i.code, kind: i.kind, leadTimeDays: i.leadTimeDays, lotSizing: i.lotSizing as LotSizing, safetyStock: i.safetyStock ?? undefined, purchased: i.purchased })),
    boms: erp.boms,
    demands,
    onHand: erp.onHand,
    scheduledReceipts: receipts,
    today,
    horizonDays,
  };
}


/**
 * MRP's purchase suggestions become requisitions (reason "mrp"); one whose release date is already
 * past cannot arrive in time for its demand: a `shortage` alert for the purchaser.
 */
export async function releasePurchaseSuggestions(uow: UnitOfWork, result: MrpResult & { today: string }) {
  const requisitions: string[] = [];
  let shortages = 0;
  for (const po of result.plannedOrders) {
    if (po.kind !== 'purchase') continue;
    const r = await erpCreateRequisition(uow, { itemCode: po.itemCode, qty: po.qty, reason: 'mrp', needDate: po.dueDate });
    requisitions.push(r.id);
    if (po.releaseDate < result.today) {
      const id = await raiseAlert(uow, {
        kind: 'shortage',
        severity: 'warning',
        ref: po.itemCode,
        message: `${po.itemCode}: ${po.qty} needed by ${po.dueDate} should have been ordered on ${po.releaseDate} (${po.peggedTo.join(', ')})`,
        messageKey: 'alert.shortage',
        params: { item: po.itemCode, qty: po.qty, needDate: po.dueDate, orderBy: po.releaseDate, peggedTo: po.peggedTo.join(', ') },
      });
      if (id !== null) shortages++;
    }
  }
  return { requisitions, shortageAlerts: shortages };
}
