import { add, conflict, num, type UnitOfWork } from '../../platform/index.ts';
import { actorName } from '../shared.ts';
import { netByBalance, type StockMove } from './model.ts';
import type { StockBalanceRow } from './store.ts';

/**
 * Posts stock moves: the ledger rows and the balance projection in the caller's transaction.
 * Balances that go down are locked first (`for update`, in key order so batches never deadlock)
 * and checked: stock never goes negative, whatever runs at the same time.
 */
export async function postMoves(uow: UnitOfWork, moves: StockMove[]): Promise<void> {
  if (!moves.length) return;
  const net = netByBalance(moves);
  const down = net.filter((n) => n.qty < 0).sort((a, b) => cmp(a, b));
  if (down.length) {
    const rows = await uow.query<StockBalanceRow>(
      `select b.item_code, b.lot, b.warehouse, b.status, b.qty from erp.stock_balances b
        where (b.item_code, b.lot, b.warehouse, b.status) in (select * from unnest($1::text[], $2::text[], $3::text[], $4::text[]))
        order by b.item_code, b.lot, b.warehouse, b.status for update`,
      [down.map((d) => d.itemCode), down.map((d) => d.lot), down.map((d) => d.warehouse), down.map((d) => d.status)],
    );
    const have = new Map(rows.map((r) => [`${r.item_code}\u0000${r.lot}\u0000${r.warehouse}\u0000${r.status}`, num(r.qty)]));
    for (const d of down) {
      const available = have.get(`${d.itemCode}\u0000${d.lot}\u0000${d.warehouse}\u0000${d.status}`) ?? 0;
      if (add(available, d.qty) < 0)
        throw conflict(`not enough ${d.status} stock of ${d.itemCode} lot ${d.lot}: ${available} < ${-d.qty}`, {
          itemCode: d.itemCode,
          lot: d.lot,
          status: d.status,
          onHand: available,
          requested: -d.qty,
        });
    }
  }
  const by = actorName(uow);
  await uow.query(
    `insert into erp.stock_moves (kind, item_code, lot, warehouse, status, qty, unit_cost, sales_order_id, work_order_id, purchase_order_id, message_id, reason, actor)
     select *, $13 from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
    [
      moves.map((m) => m.kind),
      moves.map((m) => m.itemCode),
      moves.map((m) => m.lot),
      moves.map((m) => m.warehouse),
      moves.map((m) => m.status),
      moves.map((m) => m.qty),
      moves.map((m) => m.unitCost),
      moves.map((m) => m.salesOrderId ?? null),
      moves.map((m) => m.workOrderId ?? null),
      moves.map((m) => m.purchaseOrderId ?? null),
      moves.map((m) => m.messageId ?? null),
      moves.map((m) => m.reason ?? null),
      by,
    ],
  );
  const up = net.filter((n) => n.qty > 0);
  if (up.length)
    await uow.query(
      `insert into erp.stock_balances as b (item_code, lot, warehouse, status, qty)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[])
       on conflict (item_code, lot, warehouse, status) do update set qty = b.qty + excluded.qty`,
      [up.map((n) => n.itemCode), up.map((n) => n.lot), up.map((n) => n.warehouse), up.map((n) => n.status), up.map((n) => n.qty)],
    );
  if (down.length)
    await uow.query(
      `update erp.stock_balances b set qty = b.qty + u.qty
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[]) as u(item_code, lot, warehouse, status, qty)
        where b.item_code = u.item_code and b.lot = u.lot and b.warehouse = u.warehouse and b.status = u.status`,
      [down.map((n) => n.itemCode), down.map((n) => n.lot), down.map((n) => n.warehouse), down.map((n) => n.status), down.map((n) => n.qty)],
    );
}

function cmp(a: { itemCode: string; lot: string; warehouse: string; status: string }, b: typeof a) {
  return a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : a.lot < b.lot ? -1 : a.lot > b.lot ? 1 : a.warehouse < b.warehouse ? -1 : a.warehouse > b.warehouse ? 1 : a.status < b.status ? -1 : a.status > b.status ? 1 : 0;
}
