import { add, conflict, mul, num, sub, type UnitOfWork } from '../../platform/index.ts';
import { ACCOUNTS, postJournal, stockAccount } from '../costing/journal.ts';
import { postMoves } from '../inventory/ledger.ts';
import type { StockMove } from '../inventory/model.ts';
import type { LotRow, QtyRow, StockBalanceRow } from '../inventory/store.ts';
import type { ItemRow } from '../items/store.ts';
import { moveOrder, orderOf, orderView } from './store.ts';

/**
 * Ships a completed order: available finished lots, first in first out, never held or rejected
 * ones, and only what is there. The order is shipped when every line is; COGS at standard, the
 * difference to the lots' actual cost to the variance account.
 */
export async function shipOrder(uow: UnitOfWork, id: string) {
  const o = await orderOf(uow, id, true);
  if (o.status !== 'completed') throw conflict(`a ${o.status} sales order cannot be shipped`, { status: o.status });
  const moves: StockMove[] = [];
  const shipments: { lineNo: number; itemCode: string; lot: string; qty: number }[] = [];
  let actual = 0;
  let standard = 0;
  const taken = new Map<string, number>();
  for (const l of o.lines) {
    let left = sub(l.qty, l.shippedQty);
    if (l.status === 'cancelled' || left <= 0) continue;
    const lots = await uow.query<Pick<StockBalanceRow, 'lot' | 'warehouse' | 'qty'> & Pick<LotRow, 'unit_cost'> & Pick<ItemRow, 'kind'>>(
      `select b.lot, b.warehouse, b.qty, l.unit_cost, i.kind from erp.stock_balances b
         join erp.lots l on l.item_code = b.item_code and l.lot = b.lot join erp.items i on i.code = b.item_code
        where b.item_code = $1 and b.status = 'available' and l.status = 'available' and b.qty > 0
        order by (l.sales_order_id = $2) desc nulls last, l.received_at, b.lot`,
      [l.itemCode, id],
    );
    let shipped = 0;
    for (const lot of lots) {
      const key = `${l.itemCode}/${lot.lot}/${lot.warehouse}`;
      const free = sub(num(lot.qty), taken.get(key) ?? 0);
      const qty = Math.min(free, left);
      if (qty <= 0) continue;
      taken.set(key, add(taken.get(key) ?? 0, qty));
      const cost = num(lot.unit_cost);
      moves.push({ kind: 'shipment', itemCode: l.itemCode, lot: lot.lot, warehouse: lot.warehouse, status: 'available', qty: -qty, unitCost: cost, salesOrderId: id });
      shipments.push({ lineNo: l.lineNo, itemCode: l.itemCode, lot: lot.lot, qty });
      actual = add(actual, mul(qty, cost));
      shipped = add(shipped, qty);
      left = sub(left, qty);
      if (left <= 0) break;
    }
    if (shipped > 0) {
      const lineStandard = add(l.standard.material, l.standard.labor, l.standard.machine);
      standard = add(standard, l.qty > 0 ? mul(lineStandard, shipped / l.qty) : 0);
      await uow.query('update erp.sales_order_lines set shipped_qty = shipped_qty + $3 where order_id = $1 and line_no = $2', [id, l.lineNo, shipped]);
    }
  }
  if (!moves.length) throw conflict(`nothing of sales order ${id} is available to ship (held lots never ship)`, { id });
  await postMoves(uow, moves);
  const kinds = new Map((await uow.query<Pick<ItemRow, 'code' | 'kind'>>('select code, kind from erp.items where code = any($1)', [[...new Set(moves.map((m) => m.itemCode))]])).map((r) => [r.code, r.kind]));
  const credits = new Map<string, number>();
  for (const m of moves) {
    const account = stockAccount(kinds.get(m.itemCode) ?? 'finished');
    credits.set(account, add(credits.get(account) ?? 0, mul(-m.qty, m.unitCost)));
  }
  await postJournal(uow, {
    memo: `shipment of ${id}`,
    salesOrderId: id,
    ref: id,
    lines: [
      { account: ACCOUNTS.cogs, debit: standard },
      { account: ACCOUNTS.variance, debit: sub(actual, standard) },
      ...[...credits].map(([account, credit]) => ({ account, credit })),
    ],
  });
  for (const s of shipments) {
    const [b] = await uow.query<QtyRow>('select coalesce(sum(qty), 0) as qty from erp.stock_balances where item_code = $1 and lot = $2', [s.itemCode, s.lot]);
    uow.emit('SyncMaterialLot', { lot: s.lot, itemCode: s.itemCode, status: 'available', qty: num(b.qty), reason: `shipped for ${id}` });
  }
  const after = await orderOf(uow, id);
  const complete = after.lines.every((l) => l.status === 'cancelled' || l.shippedQty >= l.qty);
  if (complete) await moveOrder(uow, after, 'shipped');
  uow.audit({ action: 'ship', entity: 'sales_order', ref: id, before: { status: o.status }, after: { status: complete ? 'shipped' : o.status, shipments } });
  return { ...orderView(await orderOf(uow, id)), shipments };
}
