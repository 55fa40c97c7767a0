import { add, mul, q, sub } from '../../platform/kernel/index.ts';

export const LOT_STATUSES = ['available', 'hold', 'rejected'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export type MoveKind = 'receipt' | 'production_receipt' | 'issue' | 'shipment' | 'adjustment' | 'transfer' | 'hold' | 'release' | 'reject';

/** One row of the append-only ledger: a signed quantity on one item/lot/warehouse/status balance. */
export interface StockMove {
  kind: MoveKind;
  itemCode: string;
  lot: string;
  warehouse: string;
  status: LotStatus;
  qty: number;
  unitCost: number;
  salesOrderId?: string | null;
  workOrderId?: string | null;
  purchaseOrderId?: string | null;
  messageId?: string | null;
  reason?: string | null;
}

/** The ledger kind of a status change. */
export const statusMoveKind = (to: LotStatus): MoveKind => (to === 'available' ? 'release' : to === 'hold' ? 'hold' : 'reject');

/** Moving average after a receipt: (on hand × average + qty × cost) / (on hand + qty). */
export function movingAverage(onHand: number, average: number, qty: number, unitCost: number): number {
  const total = add(onHand, qty);
  if (total <= 0) return unitCost;
  return q(add(mul(onHand, average), mul(qty, unitCost)) / total);
}

/** Net change per balance key; the keys that go down are the ones to lock and check. */
export function netByBalance(moves: StockMove[]) {
  const net = new Map<string, { itemCode: string; lot: string; warehouse: string; status: LotStatus; qty: number }>();
  for (const m of moves) {
    const key = `${m.itemCode}\u0000${m.lot}\u0000${m.warehouse}\u0000${m.status}`;
    const cur = net.get(key);
    if (cur) cur.qty = add(cur.qty, m.qty);
    else net.set(key, { itemCode: m.itemCode, lot: m.lot, warehouse: m.warehouse, status: m.status, qty: m.qty });
  }
  return [...net.values()];
}


/**
 * Where an issue of a lot is taken from: the warehouse the lot is in first, then any other holding
 * it (code order). What none holds is asked of the lot's warehouse, so the ledger refuses it (409).
 */
export function issueFrom(lotWarehouse: string, balances: { warehouse: string; qty: number }[], qty: number) {
  const ordered = [...balances.filter((b) => b.warehouse === lotWarehouse), ...balances.filter((b) => b.warehouse !== lotWarehouse)];
  const out: { warehouse: string; qty: number }[] = [];
  let left = qty;
  for (const b of ordered) {
    if (left <= 0) break;
    const take = Math.min(b.qty, left);
    if (take > 0) out.push({ warehouse: b.warehouse, qty: take });
    left = sub(left, take);
  }
  if (left > 0) {
    const home = out.find((o) => o.warehouse === lotWarehouse);
    if (home) home.qty = add(home.qty, left);
    else out.push({ warehouse: lotWarehouse, qty: left });
  }
  return out;
}
