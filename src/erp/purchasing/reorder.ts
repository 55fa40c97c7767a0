import { num, raiseAlert, type UnitOfWork } from '../../platform/index.ts';

/** An item under the reorder rule with what it has and has coming (numerics). */
interface ReorderRow {
  code: string;
  reorder_point: string;
  reorder_qty: string;
  available: string;
  on_order: string;
}

/**
 * The reorder rule: when available + on order (open requisitions and open purchase order lines)
 * falls below an item's reorder point, one requisition for the reorder quantity is raised (never a
 * second while one is open: a partial unique index decides, even between concurrent transactions)
 * and a `reorder` alert tells the purchaser.
 */
export async function checkReorder(uow: UnitOfWork, itemCodes: string[]) {
  const codes = [...new Set(itemCodes)];
  if (!codes.length) return [];
  const rows = await uow.query<ReorderRow>(
    `select i.code, i.reorder_point, coalesce(i.reorder_qty, i.reorder_point) as reorder_qty,
            coalesce((select sum(qty) from erp.stock_balances b where b.item_code = i.code and b.status = 'available'), 0) as available,
            coalesce((select sum(qty) from erp.purchase_requisitions r where r.item_code = i.code and r.status = 'open'), 0)
          + coalesce((select sum(greatest(l.qty - l.received_qty, 0)) from erp.purchase_order_lines l join erp.purchase_orders o on o.id = l.order_id
                       where l.item_code = i.code and o.status = 'open'), 0) as on_order
       from erp.items i where i.code = any($1) and i.reorder_point is not null`,
    [codes],
  );
  const raised: string[] = [];
  for (const r of rows) {
    const available = num(r.available);
    const onOrder = num(r.on_order);
    if (available + onOrder >= num(r.reorder_point) || num(r.reorder_qty) <= 0) continue;
    const [seq] = await uow.query<{ n: number }>("select nextval('erp.purchase_seq') as n");
    const id = `PR-${String(seq.n).padStart(6, '0')}`;
    const ins = await uow.query<{ id: string }>(
      `insert into erp.purchase_requisitions (id, item_code, qty, reason) values ($1, $2, $3, 'reorder')
       on conflict (item_code) where reason = 'reorder' and status = 'open' do nothing returning id`,
      [id, r.code, num(r.reorder_qty)],
    );
    if (!ins.length) continue;
    raised.push(id);
    uow.audit({ action: 'raise', entity: 'purchase_requisition', ref: id, after: { itemCode: r.code, qty: num(r.reorder_qty), reason: 'reorder', available, onOrder } });
    await raiseAlert(uow, {
      kind: 'reorder',
      severity: 'warning',
      ref: r.code,
      message: `${r.code}: available ${available} + on order ${onOrder} is below the reorder point ${num(r.reorder_point)}; requisition ${id} for ${num(r.reorder_qty)} raised`,
      messageKey: 'alert.reorder_point',
      params: { item: r.code, available, onOrder, reorderPoint: num(r.reorder_point), requisition: id, qty: num(r.reorder_qty) },
    });
  }
  return raised;
}
