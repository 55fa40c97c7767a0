import { randomUUID } from 'node:crypto';
import { answer, conflict, notFound, unprocessable, type UnitOfWork } from '../../platform/index.ts';
import { canMove, CHANGE_VIA_MES, type LineChange, type NewSalesOrder } from './model.ts';
import { instant } from '../shared.ts';
import type { ItemRow } from '../items/store.ts';
import { inStockUnits } from '../units/service.ts';
import { assertOrderMove, moveOrder, orderOf, orderView, type SalesOrder } from './store.ts';

export async function createOrder(uow: UnitOfWork, body: NewSalesOrder) {
  const [c] = await uow.query<{ code: string }>('select code from erp.customers where code = $1', [body.customer]);
  if (!c) throw unprocessable(`unknown customer ${body.customer}`, { field: 'customer' });
  const codes = [...new Set(body.lines.map((l) => l.itemCode))];
  const known = new Set((await uow.query<Pick<ItemRow, 'code'>>('select code from erp.items where code = any($1)', [codes])).map((r) => r.code));
  const unknown = codes.filter((x) => !known.has(x));
  if (unknown.length) throw unprocessable(`unknown item(s): ${unknown.join(', ')}`, { unknownItems: unknown });
  // a line may be ordered in any unit of its item: the order keeps it, production gets stock units
  const stockQty = await inStockUnits(uow, body.lines.map((l, i) => ({ itemCode: l.itemCode, qty: l.qty, uom: l.uom, field: `lines[${i}].qty` })));
  const [{ n }] = await uow.query<{ n: number }>("select nextval('erp.sales_order_seq') as n");
  const id = `SO-${String(n).padStart(6, '0')}`;
  await uow.query(`insert into erp.sales_orders (id, customer, status) values ($1, $2, 'draft')`, [id, body.customer]);
  await uow.query(
    `insert into erp.sales_order_lines (order_id, line_no, item_code, qty, due_date, ordered_uom, ordered_qty)
     select $1, * from unnest($2::int[], $3::text[], $4::numeric[], $5::date[], $6::text[], $7::numeric[])`,
    [
      id, body.lines.map((_, i) => i + 1), body.lines.map((l) => l.itemCode), stockQty, body.lines.map((l) => l.dueDate),
      body.lines.map((l) => l.uom ?? null), body.lines.map((l) => (l.uom ? l.qty : null)),
    ],
  );
  uow.audit({ action: 'create', entity: 'sales_order', ref: id, after: { customer: body.customer, lines: body.lines } });
  return orderView(await orderOf(uow, id));
}

/** Approval: the order is released and its production requested from the MES (one request per line). */
export async function approveOrder(uow: UnitOfWork, id: string) {
  const o = await orderOf(uow, id, true);
  assertOrderMove(o, 'released');
  // One statement for the release and every line: the BOM version in force and the standard material cost.
  const [r] = await uow.query<{ released_at: Date; lines: { line_no: number; bom_version: number | null; standard_material: string }[] }>(
    `with o as (update erp.sales_orders set status = 'released', released_at = now() where id = $1 returning released_at),
          l as (update erp.sales_order_lines l set bom_version = b.v, standard_material = round(l.qty * i.standard_cost, 6)
                  from erp.items i left join lateral (select max(version) as v from erp.boms where item_code = i.code) b on true
                 where l.order_id = $1 and i.code = l.item_code
                returning l.line_no, b.v as bom_version)
     select (select released_at from o) as released_at, coalesce((select jsonb_agg(l) from l), '[]') as lines`,
    [id],
  );
  const versions = new Map(r.lines.map((l) => [Number(l.line_no), l.bom_version === null ? null : Number(l.bom_version)]));
  const released: SalesOrder = {
    ...o,
    status: 'released',
    releasedAt: instant(r.released_at),
    lines: o.lines.map((l) => ({ ...l, bomVersion: versions.get(l.lineNo) ?? null })),
  };
  const requests = released.lines.map((l) => ({ lineNo: l.lineNo, itemCode: l.itemCode, qty: l.qty, dueDate: l.dueDate, bomVersion: l.bomVersion, priority: 0 }));
  uow.emit('ProcessOperationsSchedule', { salesOrderId: id, customer: o.customer, requests }, { correlationId: id });
  uow.audit({ action: 'approve', entity: 'sales_order', ref: id, before: { status: o.status }, after: { status: 'released' } });
  return orderView(released);
}

async function pendingChange(uow: UnitOfWork, id: string) {
  const [p] = await uow.query<{ id: string }>(`select id from erp.sales_order_changes where order_id = $1 and status = 'pending'`, [id]);
  if (p) throw conflict(`change ${p.id} of sales order ${id} is still pending`, { changeId: p.id });
}

/** A change of qty/due date: applied at once on a draft, sent to the MES as a change request after release. */
export async function changeLine(uow: UnitOfWork, id: string, lineNo: number, change: LineChange) {
  const o = await orderOf(uow, id, true);
  const line = o.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw notFound('sales order line', `${id}/${lineNo}`);
  const before = { qty: line.qty, dueDate: line.dueDate };
  if (o.status === 'draft') {
    await uow.query('update erp.sales_order_lines set qty = coalesce($3, qty), due_date = coalesce($4::date, due_date) where order_id = $1 and line_no = $2', [
      id,
      lineNo,
      change.qty ?? null,
      change.dueDate ?? null,
    ]);
    uow.audit({ action: 'change', entity: 'sales_order_line', ref: `${id}/${lineNo}`, before, after: change });
    return answer(202, { id, lineNo, changeId: null, changeStatus: null, order: orderView(await orderOf(uow, id)) });
  }
  if (!CHANGE_VIA_MES.includes(o.status)) throw conflict(`a ${o.status} sales order cannot be changed`, { status: o.status });
  await pendingChange(uow, id);
  const changeId = `CH-${randomUUID()}`;
  await uow.query(`insert into erp.sales_order_changes (id, order_id, line_no, kind, qty, due_date) values ($1, $2, $3, 'change', $4, $5)`, [
    changeId,
    id,
    lineNo,
    change.qty ?? null,
    change.dueDate ?? null,
  ]);
  await uow.query(`update erp.sales_order_lines set change_status = 'pending', change_reason = null where order_id = $1 and line_no = $2`, [id, lineNo]);
  uow.emit('ChangeOperationsSchedule', { salesOrderId: id, changeId, lineNo, ...change }, { correlationId: id });
  uow.audit({ action: 'request_change', entity: 'sales_order_line', ref: `${id}/${lineNo}`, before, after: { ...change, changeId } });
  return answer(202, { id, lineNo, changeId, changeStatus: 'pending' });
}

/** Cancel: at once while draft; after release a cancellation request the MES answers. */
export async function cancelOrder(uow: UnitOfWork, id: string) {
  const o = await orderOf(uow, id, true);
  if (o.status === 'draft') {
    await moveOrder(uow, o, 'cancelled');
    uow.audit({ action: 'cancel', entity: 'sales_order', ref: id, before: { status: o.status }, after: { status: 'cancelled' } });
    return orderView(await orderOf(uow, id));
  }
  if (!CHANGE_VIA_MES.includes(o.status)) throw conflict(`a ${o.status} sales order cannot be cancelled`, { status: o.status });
  await pendingChange(uow, id);
  const changeId = `CH-${randomUUID()}`;
  await uow.query(`insert into erp.sales_order_changes (id, order_id, kind) values ($1, $2, 'cancel')`, [changeId, id]);
  await uow.query(`update erp.sales_order_lines set change_status = 'pending', change_reason = null where order_id = $1`, [id]);
  uow.emit('CancelOperationsSchedule', { salesOrderId: id, changeId }, { correlationId: id });
  uow.audit({ action: 'request_cancel', entity: 'sales_order', ref: id, before: { status: o.status }, after: { changeId } });
  return answer(202, { id, status: o.status, changeId, changeStatus: 'pending' });
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

