import { conflict, notFound, unprocessable, type UnitOfWork } from '../../platform/index.ts';
import { assertWarehouses } from '../warehouses/service.ts';
import { postMoves } from './ledger.ts';
import { lotBalances, lotOf } from './store.ts';

export interface Transfer {
  itemCode: string;
  lot: string;
  qty: number;
  from: string;
  to: string;
  workOrderId?: string | null;
  reason?: string | null;
}

/**
 * Moves stock of a lot from one warehouse to another, in the lot's status (a held lot moves held).
 * The lot is then where it was moved to: consumption issues from there first. The value does not
 * change, so no journal entry. Unknown warehouse → 422; more than the lot holds in `from` → 409.
 */
export async function transfer(uow: UnitOfWork, t: Transfer) {
  if (!(t.qty > 0)) throw unprocessable('a transfer needs a positive quantity', { field: 'qty' });
  await assertWarehouses(uow, [
    { code: t.from, field: 'from' },
    { code: t.to, field: 'to' },
  ]);
  if (t.from === t.to) throw unprocessable(`a transfer moves stock between two warehouses, not within ${t.from}`, { field: 'to', warehouse: t.to });
  const lot = await lotOf(uow, t.itemCode, t.lot, true);
  if (!lot) throw notFound('lot', `${t.itemCode}/${t.lot}`);
  const there = (await lotBalances(uow, t.itemCode, t.lot, lot.status)).find((b) => b.warehouse === t.from)?.qty ?? 0;
  if (there < t.qty)
    throw conflict(`lot ${t.lot} of ${t.itemCode} holds ${there} in warehouse ${t.from}: ${t.qty} cannot be moved`, { lot: t.lot, warehouse: t.from, onHand: there, requested: t.qty });
  const base = { kind: 'transfer' as const, itemCode: t.itemCode, lot: t.lot, status: lot.status, unitCost: lot.unitCost, workOrderId: t.workOrderId ?? null, reason: t.reason ?? `transfer ${t.from} → ${t.to}` };
  await postMoves(uow, [
    { ...base, warehouse: t.from, qty: -t.qty },
    { ...base, warehouse: t.to, qty: t.qty },
  ]);
  await uow.query('update erp.lots set warehouse = $3 where item_code = $1 and lot = $2', [t.itemCode, t.lot, t.to]);
  uow.audit({ action: 'transfer', entity: 'lot', ref: `${t.itemCode}/${t.lot}`, before: { warehouse: lot.warehouse }, after: { warehouse: t.to, from: t.from, qty: t.qty } });
  return { itemCode: t.itemCode, lot: t.lot, qty: t.qty, from: t.from, to: t.to, status: lot.status };
}
