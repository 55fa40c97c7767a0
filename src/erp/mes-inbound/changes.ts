import { parseMessage } from '../../messages/index.ts';
import { notFound, type Message, type UnitOfWork } from '../../platform/index.ts';
import { canMove } from '../sales/model.ts';
import { moveOrder, orderOf, type SalesOrderChangeRow } from '../sales/store.ts';

/** The MES's answer to a change or cancellation. */
export async function onScheduleResponse(msg: Message, uow: UnitOfWork) {
  const p = parseMessage('RespondOperationsSchedule', msg.payload);
  const [c] = await uow.query<SalesOrderChangeRow>('select *, due_date::text as due from erp.sales_order_changes where id = $1 and order_id = $2 for update', [p.changeId, p.salesOrderId]);
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
