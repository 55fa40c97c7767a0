import { parseMessage, type Payload } from '../../messages/index.ts';
import { add, notFound, raiseAlert, type Message, type UnitOfWork } from '../../platform/index.ts';
import { ACCOUNTS, postJournal } from '../costing/journal.ts';
import { canMove } from './model.ts';
import { moveOrder, orderOf } from './store.ts';
import { upsertWorkOrders } from './work-orders.ts';

type PlannedLine = Payload<'SyncOperationsSchedule'>['lines'][number];

async function applyPlan(uow: UnitOfWork, salesOrderId: string, lines: PlannedLine[]) {
  const o = await orderOf(uow, salesOrderId);
  for (const pl of lines) {
    const line = o.lines.find((l) => l.lineNo === pl.lineNo);
    if (!line) throw notFound('sales order line', `${salesOrderId}/${pl.lineNo}`);
    await upsertWorkOrders(uow, salesOrderId, pl.lineNo, pl.workOrders);
    await uow.query(
      `update erp.sales_order_lines set planned_start = $3, planned_end = $4,
         promise_date = coalesce(promise_date, ($4::timestamptz at time zone 'UTC')::date),
         standard_labor = coalesce($5, standard_labor), standard_machine = coalesce($6, standard_machine)
       where order_id = $1 and line_no = $2`,
      [salesOrderId, pl.lineNo, pl.plannedStart, pl.plannedEnd, pl.standard?.labor ?? null, pl.standard?.machine ?? null],
    );
    if (pl.plannedEnd && pl.plannedEnd.slice(0, 10) > line.dueDate)
      await raiseAlert(uow, {
        kind: 'late_order',
        severity: 'warning',
        ref: `${salesOrderId}/${pl.lineNo}`,
        message: `${salesOrderId} line ${pl.lineNo} (${line.itemCode}) is planned to end ${pl.plannedEnd}, after its due date ${line.dueDate}`,
        messageKey: 'alert.late_order',
        params: { salesOrder: salesOrderId, line: pl.lineNo, item: line.itemCode, plannedEnd: pl.plannedEnd, dueDate: line.dueDate },
      });
  }
  uow.audit({ action: 'plan', entity: 'sales_order', ref: salesOrderId, after: { lines: lines.map((l) => ({ lineNo: l.lineNo, plannedStart: l.plannedStart, plannedEnd: l.plannedEnd, workOrders: l.workOrders.map((w) => w.id) })) } });
}

/** The MES made and scheduled the work orders of an order (and the standard conversion cost). */
export async function onScheduleAcknowledged(msg: Message, uow: UnitOfWork) {
  const p = parseMessage('AcknowledgeOperationsSchedule', msg.payload);
  await applyPlan(uow, p.salesOrderId, p.lines);
}

/** Planned dates changed on the shop floor. */
export async function onScheduleSynced(msg: Message, uow: UnitOfWork) {
  const p = parseMessage('SyncOperationsSchedule', msg.payload);
  await applyPlan(uow, p.salesOrderId, p.lines);
}

const woStatus = { started: 'in_progress', reported: 'in_progress', completed: 'completed', cancelled: 'cancelled' } as const;

/** Progress of a work order: the projection, the line's figures, the time booked at its rates. */
export async function onPerformance(msg: Message, uow: UnitOfWork) {
  const p = parseMessage('ProcessOperationsPerformance', msg.payload);
  await uow.query(
    `insert into erp.work_orders as w (id, sales_order_id, line_no, item_code, qty, top, good_qty, scrap_qty, status)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (id) do update set qty = excluded.qty, good_qty = excluded.good_qty, scrap_qty = excluded.scrap_qty,
       status = case when w.status in ('completed', 'cancelled') and excluded.status = 'in_progress' then w.status else excluded.status end`,
    [p.workOrderId, p.salesOrderId, p.lineNo, p.itemCode, p.workOrderQty, p.top, p.goodQty, p.scrapQty, woStatus[p.event]],
  );
  const b = p.booked;
  if (b.laborMinutes || b.machineMinutes || b.energyKwh || b.laborCost || b.machineCost || b.energyCost) {
    await uow.query(
      `insert into erp.cost_bookings (work_order_id, sales_order_id, at, labor_minutes, machine_minutes, energy_kwh, labor_cost, machine_cost, energy_cost, message_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [p.workOrderId, p.salesOrderId, p.at, b.laborMinutes, b.machineMinutes, b.energyKwh, b.laborCost, b.machineCost, b.energyCost, msg.id],
    );
    await postJournal(uow, {
      memo: `conversion booked on ${p.workOrderId}`,
      salesOrderId: p.salesOrderId,
      workOrderId: p.workOrderId,
      ref: msg.id,
      lines: [
        { account: ACCOUNTS.wip, debit: add(b.laborCost, b.machineCost, b.energyCost) },
        { account: ACCOUNTS.accruedLabor, credit: b.laborCost },
        { account: ACCOUNTS.appliedOverhead, credit: add(b.machineCost, b.energyCost) },
      ],
    });
  }
  uow.audit({ action: `performance_${p.event}`, entity: 'work_order', ref: p.workOrderId, after: { goodQty: p.goodQty, scrapQty: p.scrapQty, booked: b } });
  // work orders of orders the ERP does not know (an outside ERP's, through B2MML) stop here
  if (p.salesOrderId === null || !(await uow.query('select 1 from erp.sales_orders where id = $1', [p.salesOrderId])).length) return;
  const o = await orderOf(uow, p.salesOrderId, true);
  if (p.top && p.lineNo !== null)
    await uow.query('update erp.sales_order_lines set produced_qty = $3, scrapped_qty = $4 where order_id = $1 and line_no = $2', [
      p.salesOrderId,
      p.lineNo,
      p.goodQty,
      p.scrapQty,
    ]);
  if (p.event !== 'cancelled' && o.status === 'released') {
    await moveOrder(uow, o, 'in_production');
    uow.audit({ action: 'start', entity: 'sales_order', ref: o.id, before: { status: o.status }, after: { status: 'in_production' } });
  }
}

/** A top lot was received: its line is complete, and the order when all its lines are. */
export async function completeLine(uow: UnitOfWork, salesOrderId: string, lineNo: number) {
  if (!(await uow.query('select 1 from erp.sales_orders where id = $1', [salesOrderId])).length) return;
  await uow.query(`update erp.sales_order_lines set status = 'completed' where order_id = $1 and line_no = $2 and status = 'open'`, [salesOrderId, lineNo]);
  let o = await orderOf(uow, salesOrderId, true);
  if (!o.lines.every((l) => l.status !== 'open')) return;
  if (o.status === 'released') {
    await moveOrder(uow, o, 'in_production');
    o = await orderOf(uow, salesOrderId);
  }
  if (canMove(o.status, 'completed')) {
    await moveOrder(uow, o, 'completed');
    uow.audit({ action: 'complete', entity: 'sales_order', ref: o.id, before: { status: o.status }, after: { status: 'completed' } });
  }
}

/** The MES's answer to a change or cancellation. */
export async function onScheduleResponse(msg: Message, uow: UnitOfWork) {
  const p = parseMessage('RespondOperationsSchedule', msg.payload);
  const [c] = await uow.query('select *, due_date::text as due from erp.sales_order_changes where id = $1 and order_id = $2 for update', [p.changeId, p.salesOrderId]);
  if (!c) throw notFound('change', p.changeId);
  if (c.status !== 'pending') return;
  const status = p.accepted ? 'accepted' : 'rejected';
  await uow.query('update erp.sales_order_changes set status = $2, reason = $3, answered_at = now() where id = $1', [c.id, status, p.reason]);
  const lineFilter = c.kind === 'change' ? c.line_no : null;
  await uow.query('update erp.sales_order_lines set change_status = $3, change_reason = $4 where order_id = $1 and ($2::int is null or line_no = $2)', [
    p.salesOrderId,
    lineFilter,
    status,
    p.reason,
  ]);
  if (p.accepted) {
    for (const w of p.workOrders)
      await uow.query('update erp.work_orders set qty = $2, status = $3 where id = $1', [w.id, w.newQty, c.kind === 'cancel' ? 'cancelled' : w.status]);
    if (c.kind === 'change') {
      // the frozen standard material follows the quantity
      await uow.query(
        `update erp.sales_order_lines set standard_material = case when $3::numeric is null or qty = 0 then standard_material else standard_material * $3::numeric / qty end,
           qty = coalesce($3::numeric, qty), due_date = coalesce($4::date, due_date) where order_id = $1 and line_no = $2`,
        [
          p.salesOrderId,
          c.line_no,
          c.qty,
          c.due,
        ],
      );
    } else {
      const o = await orderOf(uow, p.salesOrderId, true);
      if (canMove(o.status, 'cancelled')) {
        await moveOrder(uow, o, 'cancelled');
        await uow.query(`update erp.sales_order_lines set status = 'cancelled' where order_id = $1 and status = 'open'`, [o.id]);
      }
    }
  }
  uow.audit({ action: `change_${status}`, entity: 'sales_order', ref: p.salesOrderId, before: { changeId: c.id, status: 'pending' }, after: { status, reason: p.reason, lineNo: c.line_no } });
}
