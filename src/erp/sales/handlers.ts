import { parseMessage, type Payload } from '../../messages/index.ts';
import { add, notFound, raiseAlert, type Message, type UnitOfWork } from '../../platform/index.ts';
import { ACCOUNTS, postJournals } from '../costing/journal.ts';
import { canMove } from './model.ts';
import { assertOrderMove, moveOrder, orderOf } from './store.ts';
import { upsertWorkOrders } from './work-orders.ts';

type PlannedLine = Payload<'SyncOperationsSchedule'>['lines'][number];

interface Plan {
  salesOrderId: string;
  lines: PlannedLine[];
  messageId: string;
}

/**
 * Planned dates of one or many orders (a run of acknowledgements after a bulk release) in a few
 * statements: the work-order projection, the lines' dates and standard costs, a late_order alert
 * for each line planned past its due date. An order twice in one run is planned one after another.
 */
async function applyPlans(uow: UnitOfWork, plans: Plan[]) {
  if (new Set(plans.map((p) => p.salesOrderId)).size !== plans.length && plans.length > 1) {
    for (const p of plans) await applyPlans(uow, [p]);
    return;
  }
  const known = await uow.query<{ id: string; line_no: number | null; item_code: string | null; due: string | null }>(
    `select o.id, l.line_no, l.item_code, l.due_date::text as due from erp.sales_orders o
       left join erp.sales_order_lines l on l.order_id = o.id where o.id = any($1::text[])`,
    [plans.map((p) => p.salesOrderId)],
  );
  const orders = new Set(known.map((k) => k.id));
  const lineOf = new Map(known.filter((k) => k.line_no !== null).map((k) => [`${k.id}/${k.line_no}`, k]));
  const planned = plans.flatMap((p) => {
    if (!orders.has(p.salesOrderId)) throw notFound('sales order', p.salesOrderId);
    return p.lines.map((pl) => {
      const line = lineOf.get(`${p.salesOrderId}/${pl.lineNo}`);
      if (!line) throw notFound('sales order line', `${p.salesOrderId}/${pl.lineNo}`);
      return { plan: p, pl, line };
    });
  });
  await upsertWorkOrders(uow, planned.flatMap(({ plan, pl }) => pl.workOrders.map((w) => ({ ...w, salesOrderId: plan.salesOrderId, lineNo: pl.lineNo }))));
  const col = <T,>(f: (x: (typeof planned)[number]) => T) => planned.map(f);
  await uow.query(
    `update erp.sales_order_lines l set planned_start = u.ps, planned_end = u.pe,
       promise_date = coalesce(l.promise_date, (u.pe at time zone 'UTC')::date),
       standard_labor = coalesce(u.labor, l.standard_labor), standard_machine = coalesce(u.machine, l.standard_machine)
       from unnest($1::text[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::numeric[], $6::numeric[]) as u(so, line, ps, pe, labor, machine)
      where l.order_id = u.so and l.line_no = u.line`,
    [
      col((x) => x.plan.salesOrderId), col((x) => x.pl.lineNo), col((x) => x.pl.plannedStart), col((x) => x.pl.plannedEnd),
      col((x) => x.pl.standard?.labor ?? null), col((x) => x.pl.standard?.machine ?? null),
    ],
  );
  for (const { plan, pl, line } of planned) {
    if (!pl.plannedEnd || pl.plannedEnd.slice(0, 10) <= line.due!) continue;
    const [so, no, item, due] = [plan.salesOrderId, pl.lineNo, line.item_code!, line.due!];
    await raiseAlert(uow, {
      kind: 'late_order',
      severity: 'warning',
      ref: `${so}/${no}`,
      message: `${so} line ${no} (${item}) is planned to end ${pl.plannedEnd}, after its due date ${due}`,
      messageKey: 'alert.late_order',
      params: { salesOrder: so, line: no, item, plannedEnd: pl.plannedEnd, dueDate: due },
      correlationId: so,
    });
  }
  for (const p of plans)
    uow.audit({
      action: 'plan', entity: 'sales_order', ref: p.salesOrderId, messageId: p.messageId, correlationId: p.salesOrderId,
      after: { lines: p.lines.map((l) => ({ lineNo: l.lineNo, plannedStart: l.plannedStart, plannedEnd: l.plannedEnd, workOrders: l.workOrders.map((w) => w.id) })) },
    });
}

/** The MES made and scheduled the work orders of orders (and their standard conversion cost). */
export async function onScheduleAcknowledged(msgs: Message[], uow: UnitOfWork) {
  await applyPlans(uow, msgs.map((m) => ({ messageId: m.id, ...parseMessage('AcknowledgeOperationsSchedule', m.payload) })));
}

/** Planned dates changed on the shop floor. */
export async function onScheduleSynced(msg: Message, uow: UnitOfWork) {
  const p = parseMessage('SyncOperationsSchedule', msg.payload);
  await applyPlans(uow, [{ messageId: msg.id, salesOrderId: p.salesOrderId, lines: p.lines }]);
}

const woStatus = { started: 'in_progress', reported: 'in_progress', completed: 'completed', cancelled: 'cancelled' } as const;
type WoStatus = (typeof woStatus)[keyof typeof woStatus];
/** A completed or cancelled work order stays so when a late in_progress arrives; a later end wins. */
const nextStatus = (now: WoStatus | null, event: WoStatus): WoStatus => (now && now !== 'in_progress' && event === 'in_progress' ? now : event);

/**
 * Progress of work orders, for a run of ProcessOperationsPerformance messages at once (one each
 * when they come one by one): the work-order projection, the lines' figures, the time booked at its
 * rates with its journal entries, and an order's start. A few statements per run, so the ERP keeps
 * up with a shop floor reporting thousands of times a second. Applying the run at once gives what
 * applying the messages one after another gives: each work order's and line's last figures, the
 * status rule folded over the run, every booking.
 */
export async function onPerformances(msgs: Message[], uow: UnitOfWork) {
  const all = msgs.map((m) => ({ m, p: parseMessage('ProcessOperationsPerformance', m.payload) }));
  const last = new Map<string, { p: (typeof all)[number]['p']; status: WoStatus }>();
  for (const { p } of all) last.set(p.workOrderId, { p, status: nextStatus(last.get(p.workOrderId)?.status ?? null, woStatus[p.event]) });
  const wos = [...last.values()];
  await uow.query(
    `insert into erp.work_orders as w (id, sales_order_id, line_no, item_code, qty, top, good_qty, scrap_qty, status)
     select * from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::numeric[], $6::boolean[], $7::numeric[], $8::numeric[], $9::text[])
     on conflict (id) do update set qty = excluded.qty, good_qty = excluded.good_qty, scrap_qty = excluded.scrap_qty,
       status = case when w.status in ('completed', 'cancelled') and excluded.status = 'in_progress' then w.status else excluded.status end`,
    [
      wos.map((w) => w.p.workOrderId), wos.map((w) => w.p.salesOrderId), wos.map((w) => w.p.lineNo), wos.map((w) => w.p.itemCode),
      wos.map((w) => w.p.workOrderQty), wos.map((w) => w.p.top), wos.map((w) => w.p.goodQty), wos.map((w) => w.p.scrapQty), wos.map((w) => w.status),
    ],
  );
  const booked = all.filter(({ p: { booked: b } }) => b.laborMinutes || b.machineMinutes || b.energyKwh || b.laborCost || b.machineCost || b.energyCost);
  if (booked.length) {
    const col = <T,>(f: (x: (typeof booked)[number]) => T) => booked.map(f);
    await uow.query(
      `insert into erp.cost_bookings (work_order_id, sales_order_id, at, labor_minutes, machine_minutes, energy_kwh, labor_cost, machine_cost, energy_cost, message_id)
       select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::text[])`,
      [
        col((x) => x.p.workOrderId), col((x) => x.p.salesOrderId), col((x) => x.p.at), col((x) => x.p.booked.laborMinutes), col((x) => x.p.booked.machineMinutes),
        col((x) => x.p.booked.energyKwh), col((x) => x.p.booked.laborCost), col((x) => x.p.booked.machineCost), col((x) => x.p.booked.energyCost), col((x) => x.m.id),
      ],
    );
    await postJournals(
      uow,
      booked.map(({ m, p: { booked: b, ...p } }) => ({
        memo: `conversion booked on ${p.workOrderId}`,
        salesOrderId: p.salesOrderId,
        workOrderId: p.workOrderId,
        ref: m.id,
        lines: [
          { account: ACCOUNTS.wip, debit: add(b.laborCost, b.machineCost, b.energyCost) },
          { account: ACCOUNTS.accruedLabor, credit: b.laborCost },
          { account: ACCOUNTS.appliedOverhead, credit: add(b.machineCost, b.energyCost) },
        ],
      })),
    );
  }
  for (const { m, p } of all)
    uow.audit({
      action: `performance_${p.event}`, entity: 'work_order', ref: p.workOrderId, after: { goodQty: p.goodQty, scrapQty: p.scrapQty, booked: p.booked },
      messageId: m.id, correlationId: m.correlationId ?? undefined,
    });
  // the sales order lines' figures (work orders of orders the ERP does not know, an outside ERP's, match none)
  const lines = new Map<string, (typeof all)[number]['p']>();
  for (const { p } of all) if (p.top && p.salesOrderId !== null && p.lineNo !== null) lines.set(`${p.salesOrderId}/${p.lineNo}`, p);
  if (lines.size) {
    const ls = [...lines.values()];
    await uow.query(
      `update erp.sales_order_lines l set produced_qty = u.good, scrapped_qty = u.scrap
         from unnest($1::text[], $2::int[], $3::numeric[], $4::numeric[]) as u(so, line, good, scrap)
        where l.order_id = u.so and l.line_no = u.line`,
      [ls.map((p) => p.salesOrderId), ls.map((p) => p.lineNo), ls.map((p) => p.goodQty), ls.map((p) => p.scrapQty)],
    );
  }
  // work has begun: a released order is in production
  const begun = [...new Set(all.filter(({ p }) => p.event !== 'cancelled' && p.salesOrderId !== null).map(({ p }) => p.salesOrderId!))];
  if (begun.length) {
    assertOrderMove({ status: 'released' }, 'in_production');
    const moved = await uow.query<{ id: string }>(
      `update erp.sales_orders set status = 'in_production' where id = any($1::text[]) and status = 'released' returning id`,
      [begun],
    );
    for (const { id } of moved)
      uow.audit({ action: 'start', entity: 'sales_order', ref: id, before: { status: 'released' }, after: { status: 'in_production' }, correlationId: id });
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
