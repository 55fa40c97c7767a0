import { parseMessage, type Payload } from '../../messages/index.ts';
import { notFound, raiseAlert, type Message, type UnitOfWork } from '../../platform/index.ts';
import { upsertWorkOrders } from '../sales/work-orders.ts';

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
