import { add, conflict, mul, notFound, num, q, unprocessable, type Queryable, type UnitOfWork } from '../../platform/index.ts';
import { ACCOUNTS, postJournal, stockAccount } from '../costing/journal.ts';
import { checkReorder } from '../purchasing/reorder.ts';
import { postMoves } from './ledger.ts';
import { issueFrom, movingAverage, statusMoveKind, type LotStatus, type StockMove } from './model.ts';
import { inStockUnits } from '../units/service.ts';
import { assertWarehouses } from '../warehouses/service.ts';
import { DEFAULT_WAREHOUSE } from '../warehouses/model.ts';
import type { ItemRow } from '../items/store.ts';
import { inventoryOf, itemExists, lotBalances, lotOf, type QtyRow } from './store.ts';

export interface Receipt {
  itemCode: string;
  qty: number;
  lot: string;
  unitCost?: number;
  supplier?: string;
  warehouse?: string;
  origin: 'purchase' | 'opening' | 'production';
  status?: 'available' | 'hold';
  purchaseOrderId?: string;
  workOrderId?: string;
  salesOrderId?: string | null;
  messageId?: string;
  /** The credit side of the journal entry (default by origin). */
  creditAccount?: string;
  /** Tell the MES of the lot (ERP-side receipts). */
  sync?: boolean;
}

/**
 * The hold reason of a lot waiting for incoming inspection. The MES keeps a hold whose reason
 * starts with "inspection" as its own quality hold: only its inspection or disposition lifts it.
 */
export const INSPECTION_HOLD = 'inspection on receipt';

/** Stock in: a new lot or more of one; moving average of the item, weighted cost of the lot. */
export async function receive(uow: UnitOfWork, r: Receipt) {
  if (!(r.qty > 0)) throw unprocessable('a receipt needs a positive quantity', { field: 'qty' });
  const [item] = await uow.query<Pick<ItemRow, 'code' | 'kind' | 'standard_cost' | 'avg_cost' | 'inspect_on_receipt'>>('select code, kind, standard_cost, avg_cost, inspect_on_receipt from erp.items where code = $1 for update', [r.itemCode]);
  if (!item) throw unprocessable(`unknown item ${r.itemCode}`, { field: 'itemCode', itemCode: r.itemCode });
  if (r.warehouse !== undefined) await assertWarehouses(uow, [{ code: r.warehouse, field: 'warehouse' }]);
  const unitCost = r.unitCost ?? num(item.standard_cost);
  const [{ on_hand }] = await uow.query<{ on_hand: string }>('select coalesce(sum(qty), 0) as on_hand from erp.stock_balances where item_code = $1', [r.itemCode]);
  const average = movingAverage(num(on_hand), num(item.avg_cost), r.qty, unitCost);
  await uow.query('update erp.items set avg_cost = $2 where code = $1', [r.itemCode, average]);

  const existing = await lotOf(uow, r.itemCode, r.lot, true);
  // a lot lives in one warehouse: more of it is received where it is
  const warehouse = r.warehouse ?? existing?.warehouse ?? DEFAULT_WAREHOUSE;
  if (existing && existing.qty > 0 && existing.warehouse !== warehouse)
    throw conflict(`lot ${r.lot} of ${r.itemCode} is in warehouse ${existing.warehouse}: receive it there or transfer it first`, { lot: r.lot, warehouse: existing.warehouse });
  // an item inspected on receipt arrives on hold until the MES's inspection releases or rejects it
  const inspect = item.inspect_on_receipt && r.origin !== 'production';
  const wanted: LotStatus = inspect ? 'hold' : (r.status ?? 'available');
  const holdReason = inspect ? INSPECTION_HOLD : 'received on hold';
  let status: LotStatus = wanted;
  if (existing) {
    status = existing.status === 'available' && wanted === 'hold' ? 'hold' : existing.status;
    if (status !== existing.status) await changeLotStatus(uow, r.itemCode, r.lot, status, holdReason, { sync: false });
    if (existing.warehouse !== warehouse) await uow.query('update erp.lots set warehouse = $3 where item_code = $1 and lot = $2', [r.itemCode, r.lot, warehouse]);
    const lotCost = movingAverage(existing.qty, existing.unitCost, r.qty, unitCost);
    await uow.query('update erp.lots set unit_cost = $3 where item_code = $1 and lot = $2', [r.itemCode, r.lot, lotCost]);
  } else {
    await uow.query(
      `insert into erp.lots (item_code, lot, status, unit_cost, supplier, origin, work_order_id, sales_order_id, warehouse)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.itemCode, r.lot, status, unitCost, r.supplier ?? null, r.origin, r.workOrderId ?? null, r.salesOrderId ?? null, warehouse],
    );
  }
  const move: StockMove = {
    kind: r.origin === 'production' ? 'production_receipt' : 'receipt',
    itemCode: r.itemCode,
    lot: r.lot,
    warehouse,
    status,
    qty: r.qty,
    unitCost,
    salesOrderId: r.salesOrderId ?? null,
    workOrderId: r.workOrderId ?? null,
    purchaseOrderId: r.purchaseOrderId ?? null,
    messageId: r.messageId ?? null,
  };
  await postMoves(uow, [move]);
  const value = mul(r.qty, unitCost);
  const credit = r.creditAccount ?? (r.origin === 'production' ? ACCOUNTS.wip : r.origin === 'opening' ? ACCOUNTS.opening : ACCOUNTS.goodsReceived);
  await postJournal(uow, {
    memo: `${move.kind} ${r.itemCode} lot ${r.lot}`,
    salesOrderId: r.salesOrderId ?? null,
    workOrderId: r.workOrderId ?? null,
    ref: r.purchaseOrderId ?? r.lot,
    lines: [
      { account: stockAccount(item.kind), debit: value },
      { account: credit, credit: value },
    ],
  });
  const lotQty = add(existing?.qty ?? 0, r.qty);
  uow.audit({ action: 'receive', entity: 'lot', ref: `${r.itemCode}/${r.lot}`, before: existing && { qty: existing.qty, status: existing.status }, after: { qty: lotQty, status, unitCost, origin: r.origin, warehouse } });
  const supplier = r.supplier ?? existing?.supplier ?? null;
  const heldNow = status === 'hold' && existing?.status !== 'hold';
  if (r.sync !== false)
    uow.emit('SyncMaterialLot', { lot: r.lot, itemCode: r.itemCode, status, qty: lotQty, ...(supplier ? { supplier } : {}), ...(heldNow ? { reason: holdReason } : {}) });
  return { itemCode: r.itemCode, lot: r.lot, qty: r.qty, lotQty, status, unitCost, averageCost: average, warehouse };
}

export interface Issue {
  itemCode: string;
  lot: string;
  qty: number;
  workOrderId?: string | null;
  salesOrderId?: string | null;
  messageId?: string | null;
  reason?: string;
  warehouse?: string;
  sync?: boolean;
}

/**
 * Issue of one lot to production (or out of stock): only available stock, never more than there
 * is — the balance row is locked, so concurrent issues of one lot cannot oversell.
 */
export async function issue(uow: UnitOfWork, i: Issue) {
  if (!(i.qty > 0)) throw unprocessable('an issue needs a positive quantity', { field: 'qty' });
  const lot = await lotOf(uow, i.itemCode, i.lot);
  if (!lot) throw notFound('lot', `${i.itemCode}/${i.lot}`);
  if (lot.status !== 'available') throw conflict(`lot ${i.lot} of ${i.itemCode} is ${lot.status}: it cannot be issued`, { lot: i.lot, status: lot.status });
  if (i.warehouse !== undefined) await assertWarehouses(uow, [{ code: i.warehouse, field: 'warehouse' }]);
  const from = i.warehouse ? [{ warehouse: i.warehouse, qty: i.qty }] : issueFrom(lot.warehouse, await lotBalances(uow, i.itemCode, i.lot, 'available'), i.qty);
  await postMoves(
    uow,
    from.map((f) => ({
      kind: 'issue',
      itemCode: i.itemCode,
      lot: i.lot,
      warehouse: f.warehouse,
      status: 'available',
      qty: -f.qty,
      unitCost: lot.unitCost,
      salesOrderId: i.salesOrderId ?? null,
      workOrderId: i.workOrderId ?? null,
      messageId: i.messageId ?? null,
      reason: i.reason ?? null,
    })),
  );
  const value = mul(i.qty, lot.unitCost);
  await postJournal(uow, {
    memo: `issue ${i.itemCode} lot ${i.lot}${i.workOrderId ? ` to ${i.workOrderId}` : ''}`,
    salesOrderId: i.salesOrderId ?? null,
    workOrderId: i.workOrderId ?? null,
    ref: i.lot,
    lines: [
      { account: i.workOrderId ? ACCOUNTS.wip : ACCOUNTS.adjustments, debit: value },
      { account: stockAccount(lot.kind), credit: value },
    ],
  });
  const [{ qty: leftRaw }] = await uow.query<QtyRow>('select coalesce(sum(qty), 0) as qty from erp.stock_balances where item_code = $1 and lot = $2', [i.itemCode, i.lot]);
  const left = num(leftRaw);
  uow.audit({ action: 'issue', entity: 'lot', ref: `${i.itemCode}/${i.lot}`, before: { qty: lot.qty }, after: { qty: left, workOrderId: i.workOrderId ?? null } });
  if (i.sync) uow.emit('SyncMaterialLot', { lot: i.lot, itemCode: i.itemCode, status: lot.status, qty: left });
  await checkReorder(uow, [i.itemCode]);
  return { itemCode: i.itemCode, lot: i.lot, qty: i.qty, unitCost: lot.unitCost, lotQty: left };
}

/** Hold, release or reject a whole lot: its quantity moves to the new status in the ledger. */
export async function changeLotStatus(uow: UnitOfWork, itemCode: string, lotCode: string, to: LotStatus, reason: string, opts: { sync?: boolean; messageId?: string } = {}) {
  const lot = await lotOf(uow, itemCode, lotCode, true);
  if (!lot) throw notFound('lot', `${itemCode}/${lotCode}`);
  if (lot.status === to) return { itemCode, lot: lotCode, status: to, qty: lot.qty, changed: false };
  const moves: StockMove[] = [];
  for (const b of await lotBalances(uow, itemCode, lotCode, lot.status)) {
    const base = { kind: statusMoveKind(to), itemCode, lot: lotCode, warehouse: b.warehouse, unitCost: lot.unitCost, messageId: opts.messageId ?? null, reason };
    moves.push({ ...base, status: lot.status, qty: -b.qty }, { ...base, status: to, qty: b.qty });
  }
  await postMoves(uow, moves);
  await uow.query('update erp.lots set status = $3 where item_code = $1 and lot = $2', [itemCode, lotCode, to]);
  uow.audit({ action: statusMoveKind(to), entity: 'lot', ref: `${itemCode}/${lotCode}`, before: { status: lot.status }, after: { status: to, reason } });
  if (opts.sync !== false) uow.emit('SyncMaterialLot', { lot: lotCode, itemCode, status: to, qty: lot.qty, reason });
  if (to !== 'available') await checkReorder(uow, [itemCode]);
  return { itemCode, lot: lotCode, status: to, qty: lot.qty, changed: true };
}

/** A counted difference: a signed quantity on the lot in its current status. */
export async function adjust(uow: UnitOfWork, a: { itemCode: string; lot: string; qty: number; reason: string; unitCost?: number; warehouse?: string }) {
  if (a.warehouse !== undefined) await assertWarehouses(uow, [{ code: a.warehouse, field: 'warehouse' }]);
  const lot = await lotOf(uow, a.itemCode, a.lot, true);
  if (!lot) {
    if (a.qty <= 0) throw notFound('lot', `${a.itemCode}/${a.lot}`);
    return receive(uow, { itemCode: a.itemCode, lot: a.lot, qty: a.qty, unitCost: a.unitCost, warehouse: a.warehouse, origin: 'opening', creditAccount: ACCOUNTS.adjustments });
  }
  const warehouse = a.warehouse ?? lot.warehouse;
  await postMoves(uow, [{ kind: 'adjustment', itemCode: a.itemCode, lot: a.lot, warehouse, status: lot.status, qty: a.qty, unitCost: lot.unitCost, reason: a.reason }]);
  const value = mul(a.qty, lot.unitCost);
  await postJournal(uow, {
    memo: `adjustment ${a.itemCode} lot ${a.lot}: ${a.reason}`,
    ref: a.lot,
    lines: [
      { account: stockAccount(lot.kind), debit: value },
      { account: ACCOUNTS.adjustments, credit: value },
    ],
  });
  const qty = add(lot.qty, a.qty);
  uow.audit({ action: 'adjust', entity: 'lot', ref: `${a.itemCode}/${a.lot}`, before: { qty: lot.qty }, after: { qty, reason: a.reason, warehouse } });
  uow.emit('SyncMaterialLot', { lot: a.lot, itemCode: a.itemCode, status: lot.status, qty, reason: a.reason });
  if (a.qty < 0) await checkReorder(uow, [a.itemCode]);
  return { itemCode: a.itemCode, lot: a.lot, qty, status: lot.status, warehouse };
}

/** The contract's stock view of one item (404 for an unknown item). */
export async function stockOf(q: Queryable, itemCode: string) {
  if (!(await itemExists(q, itemCode))) throw notFound('item', itemCode);
  return inventoryOf(q, itemCode);
}

/** A receipt as a person enters it: in any unit of the item (converted to stock units, 6 decimals). */
export async function receiveInUnits(uow: UnitOfWork, r: Omit<Receipt, 'origin'> & { uom?: string }) {
  const { uom, ...rest } = r;
  const [qty] = await inStockUnits(uow, [{ itemCode: r.itemCode, qty: r.qty, uom }]);
  // a unit cost is per the unit received in
  const unitCost = r.unitCost === undefined || qty === r.qty ? r.unitCost : q(mul(r.unitCost, r.qty) / qty);
  return receive(uow, { ...rest, qty, unitCost, origin: r.supplier ? 'purchase' : 'opening' });
}
