import type { UnitOfWork } from '../../platform/index.ts';
import { num } from '../../platform/index.ts';
import type { Payload } from '../../messages/index.ts';
import { emitPerformance, NOTHING_BOOKED } from '../execution/performance.ts';
import { assertWorkOrderMove, componentQty, type WorkOrderStatus } from './model.ts';
import { createWorkOrders, type CreatedWorkOrder, type ProductionRequest } from './create.ts';
import { planWorkOrders, type PlanOptions } from './plan.ts';
import { plannedLines } from './planned-lines.ts';
import type { WorkOrderRow } from './store.ts';

type Respond = Payload<'RespondOperationsSchedule'>;
const OPEN = new Set(['released', 'in_progress']);

function respond(uow: UnitOfWork, r: Respond) {
  uow.emit('RespondOperationsSchedule', r, { correlationId: r.salesOrderId });
  return r;
}

/** A quantity and/or due-date change of one work order tree, from a sales order line or an outside ERP. */
export interface TreeChange {
  changeId: string;
  qty?: number;
  dueDate?: string;
}

/** Where the tree comes from: its sales order line, or the outside system that asked for it. */
export interface TreeOrigin {
  salesOrder: string | null;
  lineNo: number | null;
  externalSystem?: string | null;
  /** How the answer names the tree when it has no work orders (`line 2`, `externalRef PO-1`). */
  label: string;
}

type TreeAnswer = Pick<Respond, 'accepted' | 'reason' | 'workOrders'>;

/**
 * ChangeOperationsSchedule: a cut below what the top work order already produced or started is
 * refused; otherwise every level's open work order gets its exploded quantity (never below its own
 * good quantity); a due-date change replans. The planned dates go back with SyncOperationsSchedule.
 */
export async function changeOperationsSchedule(uow: UnitOfWork, p: Payload<'ChangeOperationsSchedule'>, plan: PlanOptions): Promise<Respond> {
  const base = { salesOrderId: p.salesOrderId, changeId: p.changeId, lineNo: p.lineNo, alreadyMade: [] };
  const wos = await uow.query<WorkOrderRow>(
    `select * from mes.work_orders where sales_order = $1 and line_no = $2 and status <> 'cancelled' order by level, id for update`,
    [p.salesOrderId, p.lineNo],
  );
  const answer = await changeWorkOrderTree(uow, wos, { salesOrder: p.salesOrderId, lineNo: p.lineNo, label: `line ${p.lineNo}` }, p, plan);
  if (answer.accepted) {
    const lines = await plannedLines(uow, p.salesOrderId, [p.lineNo]);
    uow.emit('SyncOperationsSchedule', { salesOrderId: p.salesOrderId, lines } satisfies Payload<'SyncOperationsSchedule'>, { correlationId: p.salesOrderId });
  }
  return respond(uow, { ...base, ...answer });
}

/**
 * The MES rules of a change on one work order tree (`wos`: its work orders not cancelled, locked,
 * ordered by level): accepted and applied, or refused with the reason and nothing changed.
 */
export async function changeWorkOrderTree(uow: UnitOfWork, wos: WorkOrderRow[], origin: TreeOrigin, p: TreeChange, plan: PlanOptions): Promise<TreeAnswer> {
  const top = wos.find((w) => w.top);
  if (!top) return { accepted: false, reason: `no work orders for ${origin.label}`, workOrders: [] };
  const newQty = new Map<string, number>(wos.map((w) => [w.id, num(w.qty)]));
  const topUps: ProductionRequest[] = [];
  const summary = () => [
    ...wos.map((w) => ({ id: w.id, itemCode: w.item_code, qty: num(w.qty), newQty: newQty.get(w.id)!, goodQty: num(w.good_qty), status: w.status })),
    ...added.map((w) => ({ id: w.id, itemCode: w.itemCode, qty: 0, newQty: w.qty, goodQty: 0, status: 'released' })),
  ];
  let added: CreatedWorkOrder[] = [];
  if (p.qty !== undefined && p.qty !== num(top.qty)) {
    if (top.status === 'completed')
      return { accepted: false, reason: `work order ${top.id} is already completed`, workOrders: summary() };
    const [started] = await uow.query<{ started: string }>(
      'select coalesce(max(good_qty + scrap_qty), 0) as started from mes.operations where work_order_id = $1',
      [top.id],
    );
    const produced = num(top.good_qty);
    const inProcess = num(started.started);
    if (p.qty < produced)
      return { accepted: false, reason: `cut to ${p.qty} is below the ${produced} already produced by ${top.id}`, workOrders: summary() };
    if (p.qty < inProcess)
      return { accepted: false, reason: `cut to ${p.qty} is below the ${inProcess} already started at ${top.id}`, workOrders: summary() };
    newQty.set(top.id, p.qty);
    // Level by level (wos are ordered by level): the work orders of one item under one parent
    // must cover its exploded quantity. Completed ones count with what they made; an open one
    // takes the rest; if none is open, a top-up work order (with its own sub-levels) is made.
    const groups = new Map<string, WorkOrderRow[]>();
    for (const w of wos) {
      if (w.top || !w.parent_work_order || w.qty_per_parent === null) continue;
      const k = `${w.parent_work_order}|${w.item_code}`;
      (groups.get(k) ?? groups.set(k, []).get(k)!).push(w);
    }
    for (const group of groups.values()) {
      const first = group[0];
      const parent = first.parent_work_order; // grouped only when it has one
      const parentQty = parent === null ? undefined : newQty.get(parent);
      if (parent === null || parentQty === undefined) continue;
      const target = componentQty(parentQty, num(first.qty_per_parent), first.uom);
      const made = group.filter((w) => w.status === 'completed').reduce((s, w) => s + num(w.good_qty), 0);
      const open = group.filter((w) => OPEN.has(w.status));
      if (open.length) {
        const others = open.slice(1).reduce((s, w) => s + num(w.qty), 0);
        newQty.set(open[0].id, Math.max(target - made - others, num(open[0].good_qty)));
      } else if (target > made + 1e-9) {
        topUps.push({
          salesOrder: origin.salesOrder,
          lineNo: origin.lineNo,
          externalSystem: origin.externalSystem ?? null,
          itemCode: first.item_code,
          qty: target - made,
          dueDate: top.due_date ? new Date(top.due_date).toISOString().slice(0, 10) : null,
          // the versions in force at approval: the level's own, and below it those of the top's moment
          bomVersion: first.bom_version ?? null,
          bomAsOf: top.bom_as_of === null || top.bom_as_of === undefined ? null : Number(top.bom_as_of),
          priority: top.priority ?? 0,
          under: { parentWorkOrder: parent, level: Number(first.level), qtyPerParent: num(first.qty_per_parent) },
        });
      }
    }
    const changed = wos.filter((w) => newQty.get(w.id) !== num(w.qty));
    await uow.query(
      `update mes.work_orders w set qty = u.qty from unnest($1::text[], $2::numeric[]) as u(id, qty) where w.id = u.id`,
      [changed.map((w) => w.id), changed.map((w) => newQty.get(w.id))],
    );
    for (const w of changed) uow.audit({ action: 'change_qty', entity: 'work_order', ref: w.id, before: { qty: num(w.qty) }, after: { qty: newQty.get(w.id), changeId: p.changeId } });
  }
  if (p.dueDate !== undefined) {
    await uow.query('update mes.work_orders set due_date = $2 where id = any($1::text[])', [wos.map((w) => w.id), p.dueDate]);
    uow.audit({ action: 'change_due_date', entity: 'work_order', ref: top.id, before: { dueDate: top.due_date }, after: { dueDate: p.dueDate, changeId: p.changeId } });
  }
  added = topUps.length ? await createWorkOrders(uow, topUps, plan) : [];
  for (const w of added) uow.audit({ action: 'top_up', entity: 'work_order', ref: w.id, after: { qty: w.qty, parentWorkOrder: w.parentWorkOrder, changeId: p.changeId } });
  await planWorkOrders(uow, [...wos.filter((w) => OPEN.has(w.status)).map((w) => w.id), ...added.map((w) => w.id)], plan);
  const parts = [p.qty !== undefined ? `quantity ${num(top.qty)} → ${p.qty}` : null, p.dueDate ? `due date ${p.dueDate}` : null].filter(Boolean);
  return { accepted: true, reason: `accepted: ${parts.join(', ') || 'no change'}`, workOrders: summary() };
}

/** Cancels open work orders and their unfinished operations (one or many). */
export async function cancelWorkOrders(uow: UnitOfWork, wos: WorkOrderRow[], at: Date, why: string) {
  for (const w of wos) assertWorkOrderMove(w.id, w.status as WorkOrderStatus, 'cancelled');
  if (!wos.length) return;
  const ids = wos.map((w) => w.id);
  await uow.query(`update mes.work_orders set status = 'cancelled' where id = any($1::text[])`, [ids]);
  await uow.query(
    `update mes.operations set status = 'cancelled', ended_at = $2 where work_order_id = any($1::text[]) and status in ('pending', 'running', 'paused')`,
    [ids, at],
  );
  for (const w of wos) {
    uow.audit({ action: 'cancel', entity: 'work_order', ref: w.id, before: { status: w.status }, after: { status: 'cancelled', reason: why } });
    emitPerformance(uow, w, 'cancelled', null, NOTHING_BOOKED, at);
  }
}

/** CancelOperationsSchedule: stops what is not completed and says what was already made. */
export async function cancelOperationsSchedule(uow: UnitOfWork, p: Payload<'CancelOperationsSchedule'>, at: Date): Promise<Respond> {
  const wos = await uow.query<WorkOrderRow>(`select * from mes.work_orders where sales_order = $1 order by line_no, level, id for update`, [p.salesOrderId]);
  const open = wos.filter((w) => OPEN.has(w.status));
  await cancelWorkOrders(uow, open, at, `sales order ${p.salesOrderId} cancelled (${p.changeId})`);
  const made = await uow.query<{ item_code: string; lot: string; initial_qty: string }>(
    `select l.item_code, l.lot, l.initial_qty from mes.lots l join mes.work_orders w on w.id = l.work_order_id
      where w.sales_order = $1 order by l.created_at, l.lot`,
    [p.salesOrderId],
  );
  const cancelled = new Set(open.map((w) => w.id));
  return respond(uow, {
    salesOrderId: p.salesOrderId,
    changeId: p.changeId,
    lineNo: null,
    accepted: wos.length > 0,
    reason: wos.length
      ? `cancelled ${open.length} work order(s); ${wos.filter((w) => w.status === 'completed').length} already completed`
      : `no work orders for sales order ${p.salesOrderId}`,
    workOrders: wos.map((w) => ({
      id: w.id,
      itemCode: w.item_code,
      qty: num(w.qty),
      newQty: cancelled.has(w.id) ? num(w.good_qty) : num(w.qty),
      goodQty: num(w.good_qty),
      status: cancelled.has(w.id) ? 'cancelled' : w.status,
    })),
    alreadyMade: made.map((m) => ({ itemCode: m.item_code, lot: m.lot, qty: num(m.initial_qty) })),
  });
}
