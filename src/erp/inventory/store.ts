import { add, num, type Queryable } from '../../platform/index.ts';
import type { LotStatus } from './model.ts';

/** A row of erp.lots. */
export interface LotRow {
  item_code: string;
  lot: string;
  status: LotStatus;
  unit_cost: string;
  supplier: string | null;
  origin: string;
  work_order_id: string | null;
  sales_order_id: string | null;
  received_at: Date;
  warehouse: string;
}

/** A row of erp.stock_balances. */
export interface StockBalanceRow {
  item_code: string;
  lot: string;
  warehouse: string;
  status: string;
  qty: string;
}

/** A sum of numeric quantities (coalesced to 0, so never null). */
export interface QtyRow {
  qty: string;
}

export interface Lot {
  itemCode: string;
  kind: string;
  lot: string;
  status: LotStatus;
  unitCost: number;
  qty: number;
  workOrderId: string | null;
  salesOrderId: string | null;
  /** Where the lot is: where it was received, then where it was last transferred to. */
  warehouse: string;
  supplier: string | null;
}

/** A lot with its on-hand quantity (locked with the lot row when `lock`). */
export async function lotOf(q: Queryable, itemCode: string, lot: string, lock = false): Promise<Lot | null> {
  const [r] = await q.query<LotRow & { kind: string }>(
    `select l.*, i.kind from erp.lots l join erp.items i on i.code = l.item_code where l.item_code = $1 and l.lot = $2${lock ? ' for update of l' : ''}`,
    [itemCode, lot],
  );
  if (!r) return null;
  const [b] = await q.query<QtyRow>('select coalesce(sum(qty), 0) as qty from erp.stock_balances where item_code = $1 and lot = $2', [itemCode, lot]);
  return {
    itemCode,
    kind: r.kind,
    lot,
    status: r.status,
    unitCost: num(r.unit_cost),
    qty: num(b.qty),
    workOrderId: r.work_order_id,
    salesOrderId: r.sales_order_id,
    warehouse: r.warehouse,
    supplier: r.supplier,
  };
}

export async function lotBalances(q: Queryable, itemCode: string, lot: string, status: LotStatus) {
  const rows = await q.query<Pick<StockBalanceRow, 'warehouse' | 'qty'>>('select warehouse, qty from erp.stock_balances where item_code = $1 and lot = $2 and status = $3 and qty > 0 order by warehouse', [itemCode, lot, status]);
  return rows.map((r) => ({ warehouse: r.warehouse, qty: num(r.qty) }));
}

interface StockRow {
  lot: string;
  lot_status: LotStatus;
  warehouse: string;
  status: string;
  qty: string;
}

/** The contract's stock view of one item: totals, per warehouse, and each lot in its warehouse. */
export async function inventoryOf(q: Queryable, itemCode: string) {
  const rows = await q.query<StockRow>(
    `select l.lot, l.status as lot_status, b.warehouse, b.status, sum(b.qty) as qty
       from erp.stock_balances b join erp.lots l on l.item_code = b.item_code and l.lot = b.lot
      where b.item_code = $1 and b.qty > 0 group by l.lot, l.status, b.warehouse, b.status order by min(l.received_at), l.lot, b.warehouse`,
    [itemCode],
  );
  let onHand = 0;
  let available = 0;
  let onHold = 0;
  const lots = new Map<string, { lot: string; qty: number; status: LotStatus; warehouse: string }>();
  const warehouses = new Map<string, { code: string; onHand: number; available: number }>();
  for (const r of rows) {
    const qty = num(r.qty);
    onHand = add(onHand, qty);
    if (r.status === 'available') available = add(available, qty);
    if (r.status === 'hold') onHold = add(onHold, qty);
    const w = warehouses.get(r.warehouse) ?? { code: r.warehouse, onHand: 0, available: 0 };
    warehouses.set(r.warehouse, { code: r.warehouse, onHand: add(w.onHand, qty), available: r.status === 'available' ? add(w.available, qty) : w.available });
    const key = `${r.lot}\u0000${r.warehouse}`;
    const cur = lots.get(key);
    if (cur) cur.qty = add(cur.qty, qty);
    else lots.set(key, { lot: r.lot, qty, status: r.lot_status, warehouse: r.warehouse });
  }
  // stock made for an open sales order is reserved for it (shown, not subtracted)
  const [res] = await q.query<QtyRow>(
    `select coalesce(sum(b.qty), 0) as qty from erp.stock_balances b
       join erp.lots l on l.item_code = b.item_code and l.lot = b.lot
       join erp.sales_orders o on o.id = l.sales_order_id
      where b.item_code = $1 and b.status = 'available' and o.status not in ('shipped', 'cancelled')
        and exists (select 1 from erp.sales_order_lines sl where sl.order_id = o.id and sl.item_code = l.item_code)`,
    [itemCode],
  );
  const byCode = [...warehouses.values()].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  return { itemCode, onHand, available, onHold, reserved: num(res.qty), warehouses: byCode, lots: [...lots.values()] };
}

/** A row of erp.stock_moves. */
export interface MoveRow {
  id: number;
  at: Date;
  kind: string;
  item_code: string;
  lot: string;
  warehouse: string;
  status: string;
  qty: string;
  unit_cost: string;
  sales_order_id: string | null;
  work_order_id: string | null;
  purchase_order_id: string | null;
  message_id: string | null;
  actor: string;
  reason: string | null;
}

/** The stock ledger of an item (optionally one lot), newest first. */
export async function stockMoves(q: Queryable, itemCode: string, lot: string | null, limit: number) {
  const rows = await q.query<MoveRow>(
    `select * from erp.stock_moves where item_code = $1 and ($2::text is null or lot = $2) order by id desc limit $3`,
    [itemCode, lot, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    kind: r.kind,
    itemCode: r.item_code,
    lot: r.lot,
    warehouse: r.warehouse,
    status: r.status,
    qty: num(r.qty),
    unitCost: num(r.unit_cost),
    salesOrderId: r.sales_order_id,
    workOrderId: r.work_order_id,
    purchaseOrderId: r.purchase_order_id,
    messageId: r.message_id,
    actor: r.actor,
    reason: r.reason,
  }));
}

export async function itemExists(q: Queryable, itemCode: string) {
  return (await q.query('select 1 from erp.items where code = $1', [itemCode])).length > 0;
}
