import type { ModuleDeps, UnitOfWork } from '../../platform/index.ts';
import { num, raiseAlert, unprocessable } from '../../platform/index.ts';
import type { Payload } from '../../messages/index.ts';
import { insertInspection, lockLot, setLotStatus } from './store.ts';

export interface IncomingInspectionInput {
  lot: string;
  result: 'pass' | 'fail';
  defects?: { code: string; qty: number }[];
  note?: string;
}

/**
 * Incoming inspection of a supplier lot (no work order; the ERP sent the lot, usually held on
 * receipt): a pass releases a held lot, a fail rejects it (it never goes into production), both
 * here and in the ERP (SyncMaterialLot). The lot keeps its supplier, which the genealogy shows.
 */
export async function inspectSupplierLot(uow: UnitOfWork, deps: Pick<ModuleDeps, 'clock'>, input: IncomingInspectionInput) {
  const at = deps.clock.now();
  const lot = await lockLot(uow, input.lot);
  if (!lot) throw unprocessable(`lot ${input.lot} is unknown`, { lot: input.lot });
  if (lot.work_order_id)
    throw unprocessable(`lot ${input.lot} was produced by ${lot.work_order_id}: name the work order`, { lot: input.lot, workOrder: lot.work_order_id });
  const id = await insertInspection(uow, {
    workOrder: null, operation: null, lot: lot.lot, itemCode: lot.item_code, workCenter: null, result: input.result,
    defects: input.defects ?? [], measurements: [], note: input.note ?? null, inspector: uow.actor.id, at,
  });
  uow.audit({ action: 'inspect', entity: 'inspection', ref: String(id), after: { ...input, supplier: lot.supplier } });
  const to = input.result === 'pass' ? (lot.status === 'hold' ? 'available' : lot.status) : 'rejected';
  if (to !== lot.status) {
    await setLotStatus(uow, lot.lot, to, null);
    uow.audit({ action: input.result === 'pass' ? 'release' : 'reject', entity: 'lot', ref: lot.lot, before: { status: lot.status, holdReason: lot.hold_reason }, after: { status: to, inspection: id } });
    const p: Payload<'SyncMaterialLot'> = { lot: lot.lot, itemCode: lot.item_code, status: to, qty: num(lot.qty), reason: `incoming inspection ${id} ${input.result === 'pass' ? 'passed' : 'failed'}` };
    uow.emit('SyncMaterialLot', p);
  }
  if (input.result === 'fail')
    await raiseAlert(uow, {
      kind: 'quality_hold',
      severity: 'warning',
      ref: lot.lot,
      message: `incoming inspection ${id} of lot ${lot.lot} (${lot.item_code}${lot.supplier ? ` from ${lot.supplier}` : ''}) failed: rejected${input.note ? ` (${input.note})` : ''}`,
    });
  return { id, workOrder: null, lot: lot.lot, itemCode: lot.item_code, supplier: lot.supplier, result: input.result, lotStatus: to, measurements: [], at: at.toISOString() };
}
