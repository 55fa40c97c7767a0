import { conflict, notFound, unprocessable, type UnitOfWork } from '../../platform/index.ts';
import { assertWarehouses } from '../warehouses/service.ts';
import { postMoves } from './ledger.ts';
import { lotBalances, lotOf } from './store.ts';

export interface Transfer {
  itemCode: string;
  lot: string;
  qty: number;
  from: string;
  /** Without it, the supply warehouse of `workOrderId` (staging material for a work order). */
  to?: string | null;
  workOrderId?: string | null;
  reason?: string | null;
}

/**
 * Moves stock of a lot from one warehouse to another, in the lot's status (a held lot moves held).
 * The lot is then where it was moved to: consumption issues from there first. The value does not
 * change, so no journal entry. Unknown warehouse → 422; more than the lot holds in `from` → 409.
 * Staging for a work order names the work order and not `to`: the lot goes to the supply
 * warehouse of the work order's first work centre (the MES tells it with the planned dates).
 */
export async function transfer(uow: UnitOfWork, input: Transfer) {
  const t = { ...input, to: input.to ?? (await supplyWarehouseOf(uow, input.workOrderId)) };
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

/** Where a work order's material is staged; 422 when the transfer names neither `to` nor a work order with one. */
async function supplyWarehouseOf(uow: UnitOfWork, workOrderId: string | null | undefined): Promise<string> {
  if (!workOrderId) throw unprocessable('a transfer names the warehouse it goes `to`, or the `workOrderId` it stages material for', { field: 'to' });
  const [wo] = await uow.query<{ supply_warehouse: string | null }>('select supply_warehouse from erp.work_orders where id = $1', [workOrderId]);
  if (!wo) throw unprocessable(`work order ${workOrderId} is unknown to the ERP`, { field: 'workOrderId', workOrderId });
  if (!wo.supply_warehouse)
    throw unprocessable(`work order ${workOrderId} has no supply warehouse (its work centre names none): name the warehouse it goes \`to\``, { field: 'to', workOrderId });
  return wo.supply_warehouse;
}
