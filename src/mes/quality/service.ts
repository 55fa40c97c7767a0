import type { Actor, AlertMessage, ModuleDeps, Queryable, UnitOfWork } from '../../platform/index.ts';
import { conflict, notFound, num, raiseAlert, unprocessable } from '../../platform/index.ts';
import type { Payload } from '../../messages/index.ts';
import { assertInScope } from '../../platform/index.ts';
import {
  findLot, firstPassRows, inspectedOperation, insertInspection, inspectionsMissing, lockLot, lockLotWithOrder, lockOutputLot,
  lockWorkOrderForInspection, setLotStatus, setQualityHold, type FirstPassFilter, type LotRow,
} from './store.ts';
import { outsideErp } from '../work-orders/outside-erp.ts';

export interface InspectionInput {
  workOrder: string;
  lot?: string;
  operation?: string;
  result: 'pass' | 'fail';
  defects?: { code: string; qty: number }[];
  measurements?: { name: string; value: number; min?: number; max?: number }[];
  note?: string;
}

function emitLot(uow: UnitOfWork, lot: LotRow, order: { sales_order: string | null; outside_erp?: string | null }, status: 'available' | 'hold' | 'rejected', reason: string) {
  const p: Payload<'SyncMaterialLot'> = { lot: lot.lot, itemCode: lot.item_code, status, qty: num(lot.qty), reason, ...outsideErp(order) };
  uow.emit('SyncMaterialLot', p, { correlationId: order.sales_order });
}

/**
 * Records an inspection. A fail puts the lot (given, or the work order's output lot) on hold here
 * and in the ERP and raises a `quality_hold` alert; before the work order has a lot, its lot will
 * be born on hold. A pass releases a lot held only because that inspection was pending.
 * Measurements outside their limits cannot pass.
 */
export async function recordInspection(uow: UnitOfWork, deps: Pick<ModuleDeps, 'clock'>, input: InspectionInput) {
  const at = deps.clock.now();
  const wo = await lockWorkOrderForInspection(uow, input.workOrder);
  if (!wo) throw unprocessable(`work order ${input.workOrder} is unknown`, { workOrder: input.workOrder });
  const op = await inspectedOperation(uow, wo.id, input.operation);
  if (input.operation && !op) throw unprocessable(`operation ${input.operation} is not of work order ${wo.id}`, { operation: input.operation });
  assertInScope(uow.actor, { workCenter: op?.work_center ?? null, plant: wo.plant }, `work order ${wo.id}`);
  const measurements = (input.measurements ?? []).map((m) => ({ ...m, ok: (m.min === undefined || m.value >= m.min) && (m.max === undefined || m.value <= m.max) }));
  const outside = measurements.filter((m) => !m.ok);
  if (input.result === 'pass' && outside.length)
    throw unprocessable(`a pass with measurements outside their limits: ${outside.map((m) => m.name).join(', ')}`, { measurements: outside });
  const lot = input.lot ? await lockLot(uow, input.lot) : await lockOutputLot(uow, wo.id);
  if (input.lot && !lot) throw unprocessable(`lot ${input.lot} is unknown`, { lot: input.lot });
  const id = await insertInspection(uow, {
    workOrder: wo.id, operation: input.operation ?? null, lot: lot?.lot ?? null, itemCode: wo.item_code, workCenter: op?.work_center ?? null,
    result: input.result, defects: input.defects ?? [], measurements, note: input.note ?? null, inspector: uow.actor.id, at,
  });
  uow.audit({ action: 'inspect', entity: 'inspection', ref: String(id), after: { ...input, lot: lot?.lot ?? null } });
  let lotStatus: string | null = lot?.status ?? null;
  if (input.result === 'fail') {
    if (!wo.quality_hold) await setQualityHold(uow, wo.id, true);
    if (lot && lot.status !== 'rejected') {
      await setLotStatus(uow, lot.lot, 'hold', 'inspection_failed');
      uow.audit({ action: 'hold', entity: 'lot', ref: lot.lot, before: { status: lot.status }, after: { status: 'hold', inspection: id } });
      emitLot(uow, lot, wo, 'hold', `inspection ${id} failed`);
      lotStatus = 'hold';
    }
    await raiseAlert(uow, {
      kind: 'quality_hold',
      severity: 'warning',
      ref: lot?.lot ?? wo.id,
      plant: wo.plant,
      message: `inspection ${id} of ${wo.id} failed${lot ? `: lot ${lot.lot} on hold` : ''}${input.note ? ` (${input.note})` : ''}`,
      ...failedInspectionMessage(id, wo.id, lot?.lot ?? null, input.note ?? null),
    });
  } else if (lot && lot.status === 'hold' && lot.hold_reason === 'inspection_pending') {
    if ((await inspectionsMissing(uow, wo.id)) === 0) {
      await setLotStatus(uow, lot.lot, 'available', null);
      uow.audit({ action: 'release', entity: 'lot', ref: lot.lot, before: { status: 'hold' }, after: { status: 'available', inspection: id } });
      emitLot(uow, lot, wo, 'available', `inspection ${id} passed`);
      lotStatus = 'available';
    }
  }
  return { id, workOrder: wo.id, lot: lot?.lot ?? null, result: input.result, lotStatus, measurements, at: at.toISOString() };
}

/** Disposition of a held lot: release (available) or reject; the ERP is told. */
export async function dispositionLot(uow: UnitOfWork, lotCode: string, decision: 'release' | 'reject', note?: string) {
  const lot = await lockLotWithOrder(uow, lotCode);
  if (!lot) throw notFound('lot', lotCode);
  if (lot.plant) assertInScope(uow.actor, { plant: lot.plant }, `lot ${lotCode}`);
  if (lot.status !== 'hold') throw conflict(`lot ${lotCode} is ${lot.status}, not on hold`, { lot: lotCode, status: lot.status, reason: 'not_on_hold' });
  const status = decision === 'release' ? 'available' : 'rejected';
  await setLotStatus(uow, lotCode, status, null);
  if (decision === 'release' && lot.work_order_id) await setQualityHold(uow, lot.work_order_id, false);
  uow.audit({ action: decision, entity: 'lot', ref: lotCode, before: { status: 'hold', holdReason: lot.hold_reason }, after: { status, note: note ?? null } });
  emitLot(uow, lot, lot, status, note ?? `disposition: ${decision}`);
  return { lot: lotCode, itemCode: lot.item_code, qty: num(lot.qty), status };
}

export async function getLot(q: Queryable, lotCode: string, actor?: Actor) {
  const l = await findLot(q, lotCode);
  if (!l) throw notFound('lot', lotCode);
  if (actor && l.plant) assertInScope(actor, { plant: l.plant }, `lot ${lotCode}`);
  return { lot: l.lot, itemCode: l.item_code, qty: num(l.qty), initialQty: num(l.initial_qty), status: l.status, holdReason: l.hold_reason, supplier: l.supplier, workOrder: l.work_order_id };
}

/**
 * First-pass yield per work centre and item over a window: good pieces of work orders that never
 * failed an inspection / all pieces reported (good + scrap).
 */
export async function firstPassYield(q: Queryable, f: FirstPassFilter = {}) {
  const rows = await firstPassRows(q, f);
  return rows.map((r) => ({
    workCenter: r.work_center,
    itemCode: r.item_code,
    firstPassQty: num(r.first_pass),
    totalQty: num(r.total),
    firstPassYield: num(r.total) > 0 ? Math.round((num(r.first_pass) / num(r.total)) * 10000) / 10000 : null,
  }));
}

/** The text of a failed inspection's alert: with the lot put on hold, and the inspector's note, when there are. */
function failedInspectionMessage(inspection: number, workOrder: string, lot: string | null, note: string | null): AlertMessage {
  if (lot)
    return note
      ? { messageKey: 'alert.quality_hold_note', params: { inspection, workOrder, lot, note } }
      : { messageKey: 'alert.quality_hold', params: { inspection, workOrder, lot } };
  return note
    ? { messageKey: 'alert.inspection_failed_note', params: { inspection, workOrder, note } }
    : { messageKey: 'alert.inspection_failed', params: { inspection, workOrder } };
}
