import type { AlertMessage, ModuleDeps, Queryable, UnitOfWork } from '../../platform/index.ts';
import { conflict, notFound, num, raiseAlert, unprocessable } from '../../platform/index.ts';
import type { Payload } from '../../messages/index.ts';
import { outsideErp } from '../work-orders/outside-erp.ts';
import { assertInScope } from '../access/scope.ts';

export interface InspectionInput {
  workOrder: string;
  lot?: string;
  operation?: string;
  result: 'pass' | 'fail';
  defects?: { code: string; qty: number }[];
  measurements?: { name: string; value: number; min?: number; max?: number }[];
  note?: string;
}

function emitLot(uow: UnitOfWork, lot: any, status: 'available' | 'hold' | 'rejected', reason: string) {
  const p: Payload<'SyncMaterialLot'> = { lot: lot.lot, itemCode: lot.item_code, status, qty: num(lot.qty), reason, ...outsideErp(lot) };
  uow.emit('SyncMaterialLot', p, { correlationId: lot.sales_order ?? null });
}

/**
 * Records an inspection. A fail puts the lot (given, or the work order's output lot) on hold here
 * and in the ERP and raises a `quality_hold` alert; before the work order has a lot, its lot will
 * be born on hold. A pass releases a lot held only because that inspection was pending.
 * Measurements outside their limits cannot pass.
 */
export async function recordInspection(uow: UnitOfWork, deps: Pick<ModuleDeps, 'clock'>, input: InspectionInput) {
  const at = deps.clock.now();
  const [wo] = await uow.query('select * from mes.work_orders where id = $1 for update', [input.workOrder]);
  if (!wo) throw unprocessable(`work order ${input.workOrder} is unknown`, { workOrder: input.workOrder });
  let op: any = null;
  if (input.operation) {
    [op] = await uow.query('select * from mes.operations where id = $1 and work_order_id = $2', [input.operation, wo.id]);
    if (!op) throw unprocessable(`operation ${input.operation} is not of work order ${wo.id}`, { operation: input.operation });
  } else {
    [op] = await uow.query(`select * from mes.operations where work_order_id = $1 and status <> 'cancelled' order by seq desc limit 1`, [wo.id]);
  }
  assertInScope(uow.actor, op?.work_center ?? null, wo.plant, `work order ${wo.id}`);
  const measurements = (input.measurements ?? []).map((m) => ({ ...m, ok: (m.min === undefined || m.value >= m.min) && (m.max === undefined || m.value <= m.max) }));
  const outside = measurements.filter((m) => !m.ok);
  if (input.result === 'pass' && outside.length)
    throw unprocessable(`a pass with measurements outside their limits: ${outside.map((m) => m.name).join(', ')}`, { measurements: outside });
  let lot: any = null;
  if (input.lot) {
    [lot] = await uow.query('select * from mes.lots where lot = $1 for update', [input.lot]);
    if (!lot) throw unprocessable(`lot ${input.lot} is unknown`, { lot: input.lot });
  } else {
    [lot] = await uow.query('select * from mes.lots where work_order_id = $1 order by created_at desc limit 1 for update', [wo.id]);
  }
  const [row] = await uow.query(
    `insert into mes.inspections (work_order_id, operation_id, lot, item_code, work_center, result, defects, measurements, note, inspector, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
    [wo.id, input.operation ?? null, lot?.lot ?? null, wo.item_code, op?.work_center ?? null, input.result, JSON.stringify(input.defects ?? []),
      JSON.stringify(measurements), input.note ?? null, uow.actor.id, at],
  );
  uow.audit({ action: 'inspect', entity: 'inspection', ref: String(row.id), after: { ...input, lot: lot?.lot ?? null } });
  let lotStatus: string | null = lot?.status ?? null;
  if (input.result === 'fail') {
    if (!wo.quality_hold) await uow.query('update mes.work_orders set quality_hold = true where id = $1', [wo.id]);
    if (lot && lot.status !== 'rejected') {
      await uow.query(`update mes.lots set status = 'hold', hold_reason = 'inspection_failed', updated_at = now() where lot = $1`, [lot.lot]);
      uow.audit({ action: 'hold', entity: 'lot', ref: lot.lot, before: { status: lot.status }, after: { status: 'hold', inspection: Number(row.id) } });
      emitLot(uow, { ...lot, sales_order: wo.sales_order, outside_erp: wo.outside_erp }, 'hold', `inspection ${row.id} failed`);
      lotStatus = 'hold';
    }
    await raiseAlert(uow, {
      kind: 'quality_hold',
      severity: 'warning',
      ref: lot?.lot ?? wo.id,
      plant: wo.plant,
      message: `inspection ${row.id} of ${wo.id} failed${lot ? `: lot ${lot.lot} on hold` : ''}${input.note ? ` (${input.note})` : ''}`,
      ...failedInspectionMessage(Number(row.id), wo.id, lot?.lot ?? null, input.note ?? null),
    });
  } else if (lot && lot.status === 'hold' && lot.hold_reason === 'inspection_pending') {
    const [left] = await uow.query(
      `select count(*)::int as n from mes.operations o where o.work_order_id = $1 and o.inspection_required
          and not exists (select 1 from mes.inspections i where i.work_order_id = o.work_order_id and i.result = 'pass' and (i.operation_id is null or i.operation_id = o.id))`,
      [wo.id],
    );
    if (left.n === 0) {
      await uow.query(`update mes.lots set status = 'available', hold_reason = null, updated_at = now() where lot = $1`, [lot.lot]);
      uow.audit({ action: 'release', entity: 'lot', ref: lot.lot, before: { status: 'hold' }, after: { status: 'available', inspection: Number(row.id) } });
      emitLot(uow, { ...lot, sales_order: wo.sales_order, outside_erp: wo.outside_erp }, 'available', `inspection ${row.id} passed`);
      lotStatus = 'available';
    }
  }
  return { id: Number(row.id), workOrder: wo.id, lot: lot?.lot ?? null, result: input.result, lotStatus, measurements, at: at.toISOString() };
}

/** Disposition of a held lot: release (available) or reject; the ERP is told. */
export async function dispositionLot(uow: UnitOfWork, lotCode: string, decision: 'release' | 'reject', note?: string) {
  const [lot] = await uow.query(
    `select l.*, w.sales_order, w.plant, w.outside_erp from mes.lots l left join mes.work_orders w on w.id = l.work_order_id where l.lot = $1 for update of l`,
    [lotCode],
  );
  if (!lot) throw notFound('lot', lotCode);
  if (lot.plant) assertInScope(uow.actor, null, lot.plant, `lot ${lotCode}`);
  if (lot.status !== 'hold') throw conflict(`lot ${lotCode} is ${lot.status}, not on hold`, { lot: lotCode, status: lot.status, reason: 'not_on_hold' });
  const status = decision === 'release' ? 'available' : 'rejected';
  await uow.query('update mes.lots set status = $2, hold_reason = null, updated_at = now() where lot = $1', [lotCode, status]);
  if (decision === 'release' && lot.work_order_id) await uow.query('update mes.work_orders set quality_hold = false where id = $1', [lot.work_order_id]);
  uow.audit({ action: decision, entity: 'lot', ref: lotCode, before: { status: 'hold', holdReason: lot.hold_reason }, after: { status, note: note ?? null } });
  emitLot(uow, lot, status, note ?? `disposition: ${decision}`);
  return { lot: lotCode, itemCode: lot.item_code, qty: num(lot.qty), status };
}

export async function getLot(q: Queryable, lotCode: string) {
  const [l] = await q.query('select * from mes.lots where lot = $1', [lotCode]);
  if (!l) throw notFound('lot', lotCode);
  return { lot: l.lot, itemCode: l.item_code, qty: num(l.qty), initialQty: num(l.initial_qty), status: l.status, holdReason: l.hold_reason, supplier: l.supplier, workOrder: l.work_order_id };
}

/**
 * First-pass yield per work centre and item over a window: good pieces of work orders that never
 * failed an inspection / all pieces reported (good + scrap).
 */
export async function firstPassYield(q: Queryable, f: { from?: string; to?: string; plant?: string; workCenter?: string; itemCode?: string } = {}) {
  const rows = await q.query(
    `select r.work_center, r.item_code,
            sum(case when exists (select 1 from mes.inspections i where i.work_order_id = r.work_order_id and i.result = 'fail') then 0 else r.good_qty end) as first_pass,
            sum(r.good_qty + r.scrap_qty) as total
       from mes.reports r join mes.work_centers wc on wc.code = r.work_center
      where ($1::timestamptz is null or r.at >= $1) and ($2::timestamptz is null or r.at < $2) and ($3::text is null or wc.plant = $3)
        and ($4::text is null or r.work_center = $4) and ($5::text is null or r.item_code = $5)
      group by r.work_center, r.item_code order by r.work_center, r.item_code`,
    [f.from ?? null, f.to ?? null, f.plant ?? null, f.workCenter ?? null, f.itemCode ?? null],
  );
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
