import { z } from 'zod';
import { add, conflict, notFound, num, sub, unprocessable, type Queryable, type UnitOfWork } from '../../platform/index.ts';
import { receive } from '../inventory/service.ts';
import type { ItemRow } from '../items/store.ts';
import { requisitionView, type PurchaseOrderLineRow, type PurchaseOrderRow, type RequisitionRow } from './store.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const NewRequisition = z.strictObject({ itemCode: z.string().min(1), qty: z.number().positive(), reason: z.enum(['reorder', 'mrp']).default('mrp'), needDate: day.optional() });
export const Conversion = z.strictObject({ supplier: z.string().min(1), unitCost: z.number().min(0).optional(), dueDate: day.optional() });
export const NewPurchaseOrder = z.strictObject({
  supplier: z.string().min(1),
  lines: z.array(z.strictObject({ itemCode: z.string().min(1), qty: z.number().positive(), unitCost: z.number().min(0).optional(), dueDate: day.optional() })).min(1),
});
export const PurchaseReceipt = z.strictObject({
  lines: z
    .array(z.strictObject({ lineNo: z.number().int().positive(), qty: z.number().positive(), lot: z.string().min(1), unitCost: z.number().min(0).optional(), warehouse: z.string().trim().min(1).max(64).optional() }))
    .min(1)
    .max(500),
});

export async function listRequisitions(q: Queryable, f: { itemCode?: string; status?: string }) {
  const rows = await q.query<RequisitionRow>(
    `select *, need_date::text as need from erp.purchase_requisitions where ($1::text is null or item_code = $1) and ($2::text is null or status = $2) order by created_at, id`,
    [f.itemCode ?? null, f.status ?? null],
  );
  return rows.map(requisitionView);
}

async function nextId(q: Queryable, prefix: string) {
  const [{ n }] = await q.query<{ n: number }>("select nextval('erp.purchase_seq') as n");
  return `${prefix}-${String(n).padStart(6, '0')}`;
}

export async function createRequisition(uow: UnitOfWork, r: z.infer<typeof NewRequisition>) {
  const [i] = await uow.query<Pick<ItemRow, 'code'>>('select code from erp.items where code = $1', [r.itemCode]);
  if (!i) throw unprocessable(`unknown item ${r.itemCode}`, { field: 'itemCode' });
  const id = await nextId(uow, 'PR');
  const rows = await uow.query<RequisitionRow>(
    `insert into erp.purchase_requisitions (id, item_code, qty, reason, need_date) values ($1, $2, $3, $4, $5)
     on conflict (item_code) where reason = 'reorder' and status = 'open' do nothing returning *, need_date::text as need`,
    [id, r.itemCode, r.qty, r.reason, r.needDate ?? null],
  );
  if (!rows.length) throw conflict(`a reorder requisition of ${r.itemCode} is already open`);
  uow.audit({ action: 'create', entity: 'purchase_requisition', ref: id, after: r });
  return requisitionView(rows[0]);
}

/** A requisition becomes a purchase order (one line) with a supplier. */
export async function convertRequisition(uow: UnitOfWork, id: string, c: z.infer<typeof Conversion>) {
  const [r] = await uow.query<RequisitionRow>('select *, need_date::text as need from erp.purchase_requisitions where id = $1 for update', [id]);
  if (!r) throw notFound('purchase requisition', id);
  if (r.status !== 'open') throw conflict(`requisition ${id} is ${r.status}`, { status: r.status });
  const po = await createPurchaseOrder(uow, { supplier: c.supplier, lines: [{ itemCode: r.item_code, qty: num(r.qty), unitCost: c.unitCost, dueDate: c.dueDate ?? r.need ?? undefined }] }, id);
  await uow.query(`update erp.purchase_requisitions set status = 'converted', purchase_order_id = $2 where id = $1`, [id, po.id]);
  uow.audit({ action: 'convert', entity: 'purchase_requisition', ref: id, before: { status: 'open' }, after: { status: 'converted', purchaseOrderId: po.id } });
  return po;
}

export async function createPurchaseOrder(uow: UnitOfWork, body: z.infer<typeof NewPurchaseOrder>, requisitionId: string | null = null) {
  const [s] = await uow.query<{ code: string }>('select code from erp.suppliers where code = $1', [body.supplier]);
  if (!s) throw unprocessable(`unknown supplier ${body.supplier}`, { field: 'supplier' });
  const items = await uow.query<Pick<ItemRow, 'code' | 'standard_cost'>>('select code, standard_cost from erp.items where code = any($1)', [body.lines.map((l) => l.itemCode)]);
  const cost = new Map(items.map((i) => [i.code, num(i.standard_cost)]));
  const unknown = body.lines.filter((l) => !cost.has(l.itemCode)).map((l) => l.itemCode);
  if (unknown.length) throw unprocessable(`unknown item(s): ${unknown.join(', ')}`, { unknownItems: unknown });
  const id = await nextId(uow, 'PO');
  await uow.query('insert into erp.purchase_orders (id, supplier) values ($1, $2)', [id, body.supplier]);
  await uow.query(
    `insert into erp.purchase_order_lines (order_id, line_no, item_code, qty, unit_cost, due_date, requisition_id)
     select $1, * from unnest($2::int[], $3::text[], $4::numeric[], $5::numeric[], $6::date[], $7::text[])`,
    [
      id,
      body.lines.map((_, i) => i + 1),
      body.lines.map((l) => l.itemCode),
      body.lines.map((l) => l.qty),
      body.lines.map((l) => l.unitCost ?? cost.get(l.itemCode)),
      body.lines.map((l) => l.dueDate ?? null),
      body.lines.map(() => requisitionId),
    ],
  );
  uow.audit({ action: 'create', entity: 'purchase_order', ref: id, after: body });
  return purchaseOrderOf(uow, id);
}

export async function purchaseOrderOf(q: Queryable, id: string) {
  const [o] = await q.query<PurchaseOrderRow>('select * from erp.purchase_orders where id = $1', [id]);
  if (!o) throw notFound('purchase order', id);
  const lines = await q.query<PurchaseOrderLineRow>('select *, due_date::text as due from erp.purchase_order_lines where order_id = $1 order by line_no', [id]);
  return {
    id,
    supplier: o.supplier,
    status: o.status,
    createdAt: o.created_at.toISOString(),
    lines: lines.map((l) => ({ lineNo: Number(l.line_no), itemCode: l.item_code, qty: num(l.qty), receivedQty: num(l.received_qty), unitCost: num(l.unit_cost), dueDate: l.due, requisitionId: l.requisition_id })),
  };
}

export async function listPurchaseOrders(q: Queryable, f: { status?: string }) {
  const rows = await q.query<Pick<PurchaseOrderRow, 'id'>>('select id from erp.purchase_orders where $1::text is null or status = $1 order by created_at desc, id desc limit 500', [f.status ?? null]);
  const out = [];
  for (const r of rows) out.push(await purchaseOrderOf(q, r.id));
  return out;
}

/** Goods received against a purchase order: lots in stock at their unit cost; the order closes when all is in. */
export async function receivePurchaseOrder(uow: UnitOfWork, id: string, body: z.infer<typeof PurchaseReceipt>) {
  const [o] = await uow.query<PurchaseOrderRow>('select * from erp.purchase_orders where id = $1 for update', [id]);
  if (!o) throw notFound('purchase order', id);
  if (o.status !== 'open') throw conflict(`purchase order ${id} is ${o.status}`, { status: o.status });
  const po = await purchaseOrderOf(uow, id);
  const receipts = [];
  for (const r of body.lines) {
    const line = po.lines.find((l) => l.lineNo === r.lineNo);
    if (!line) throw unprocessable(`purchase order ${id} has no line ${r.lineNo}`, { lineNo: r.lineNo });
    receipts.push(await receive(uow, { itemCode: line.itemCode, qty: r.qty, lot: r.lot, unitCost: r.unitCost ?? line.unitCost, supplier: po.supplier, origin: 'purchase', purchaseOrderId: id, warehouse: r.warehouse }));
    await uow.query('update erp.purchase_order_lines set received_qty = received_qty + $3 where order_id = $1 and line_no = $2', [id, r.lineNo, r.qty]);
  }
  const after = await purchaseOrderOf(uow, id);
  if (after.lines.every((l) => sub(l.qty, l.receivedQty) <= 0)) await uow.query(`update erp.purchase_orders set status = 'received' where id = $1`, [id]);
  uow.audit({ action: 'receive', entity: 'purchase_order', ref: id, after: { lines: body.lines, received: add(...body.lines.map((l) => l.qty)) } });
  return { ...(await purchaseOrderOf(uow, id)), receipts };
}
