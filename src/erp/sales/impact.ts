import { add, notFound, type Queryable } from '../../platform/index.ts';
import { judgeChange, scaledQty } from './model.ts';
import { orderOf } from './store.ts';
import { issuedTo, workOrdersOf } from './work-orders.ts';

/** What a change of one line would touch, from the ERP's own projection and issue ledger. */
export async function changeImpact(q: Queryable, id: string, lineNo: number, change: { qty?: number; dueDate?: string }) {
  const o = await orderOf(q, id);
  const line = o.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw notFound('sales order line', `${id}/${lineNo}`);
  const wos = await workOrdersOf(q, id, lineNo);
  const top = wos.find((w) => w.top);
  const produced = top ? top.goodQty : line.producedQty;
  const verdict =
    o.status === 'shipped' || o.status === 'cancelled' || o.status === 'completed'
      ? { feasible: false, reason: `the order is ${o.status}` }
      : judgeChange(change.qty, produced);
  const issued = await issuedTo(q, wos.map((w) => w.id));
  const byLot = new Map<string, { itemCode: string; lot: string; qty: number }>();
  for (const i of issued) {
    const key = `${i.itemCode}/${i.lot}`;
    const cur = byLot.get(key);
    if (cur) cur.qty = add(cur.qty, i.qty);
    else byLot.set(key, { itemCode: i.itemCode, lot: i.lot, qty: i.qty });
  }
  return {
    feasible: verdict.feasible,
    ...(verdict.reason ? { reason: verdict.reason } : {}),
    lineNo,
    qty: line.qty,
    newQty: change.qty ?? line.qty,
    dueDate: line.dueDate,
    newDueDate: change.dueDate ?? line.dueDate,
    producedQty: produced,
    workOrders: wos.map((w) => ({ id: w.id, itemCode: w.itemCode, qty: w.qty, newQty: scaledQty(w.qty, line.qty, change.qty), goodQty: w.goodQty, status: w.status })),
    materialIssued: [...byLot.values()],
  };
}
