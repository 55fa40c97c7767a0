import { parseMessage } from '../../messages/index.ts';
import type { Message, UnitOfWork } from '../../platform/index.ts';
import { assertOrderMove } from '../sales/store.ts';
import { bookConversion } from './costs.ts';

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
  await bookConversion(uow, all);
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
