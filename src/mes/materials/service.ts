import type { ModuleDeps, UnitOfWork } from '../../platform/index.ts';
import { conflict, notFound, num, q, sub, unprocessable } from '../../platform/index.ts';
import type { Payload } from '../../messages/index.ts';
import { assertInScope } from '../../platform/index.ts';
import type { WorkOrderRow } from '../work-orders/store.ts';
import type { LotRow } from '../quality/store.ts';
import { outsideErp } from '../work-orders/outside-erp.ts';
import type { ConsumptionRow } from './store.ts';

export interface ConsumeInput {
  itemCode: string;
  lot: string;
  qty: number;
}

/** The work centres a work order runs on (scope of its material issues). */
async function workCentersOf(uow: UnitOfWork, workOrderId: string) {
  return (await uow.query<{ work_center: string }>('select distinct work_center from mes.operations where work_order_id = $1', [workOrderId])).map(
    (r) => r.work_center,
  );
}

/**
 * Material consumed by lot against a work order, checked against the MES lot view: an unknown lot
 * or one of another item is unprocessable (422); a lot on hold, rejected or short is a conflict
 * (409) with the reason. Records the genealogy link input lot → work order (→ its output lot).
 */
export async function consumeMaterial(uow: UnitOfWork, deps: Pick<ModuleDeps, 'clock'>, workOrderId: string, input: ConsumeInput) {
  const at = deps.clock.now();
  const [wo] = await uow.query<WorkOrderRow>('select * from mes.work_orders where id = $1 for update', [workOrderId]);
  if (!wo) throw notFound('work order', workOrderId);
  const centres = await workCentersOf(uow, workOrderId);
  assertInScope(uow.actor, { workCenters: centres, plant: wo.plant }, `work order ${workOrderId}`);
  if (!['released', 'in_progress'].includes(wo.status))
    throw conflict(`work order ${workOrderId} is ${wo.status}: no more material goes into it`, { workOrder: workOrderId, status: wo.status, reason: 'work_order_closed' });
  const qty = q(input.qty);
  if (!(qty > 0)) throw unprocessable('quantity must be positive', { qty });
  const [lot] = await uow.query<LotRow>('select * from mes.lots where lot = $1 for update', [input.lot]);
  if (!lot) throw unprocessable(`lot ${input.lot} is unknown`, { lot: input.lot, reason: 'unknown_lot' });
  if (lot.item_code !== input.itemCode)
    throw unprocessable(`lot ${input.lot} is of item ${lot.item_code}, not ${input.itemCode}`, { lot: input.lot, itemCode: lot.item_code, reason: 'wrong_item' });
  if (lot.status !== 'available')
    throw conflict(`lot ${input.lot} is ${lot.status === 'hold' ? 'on hold' : lot.status}${lot.hold_reason ? ` (${lot.hold_reason})` : ''}`, {
      lot: input.lot, status: lot.status, reason: lot.status === 'hold' ? 'lot_on_hold' : 'lot_rejected',
    });
  if (num(lot.qty) < qty)
    throw conflict(`lot ${input.lot} has ${num(lot.qty)} left, ${qty} asked`, { lot: input.lot, available: num(lot.qty), asked: qty, reason: 'short' });
  const left = sub(num(lot.qty), qty);
  await uow.query('update mes.lots set qty = $2, updated_at = now() where lot = $1', [input.lot, left]);
  const [c] = await uow.query<Pick<ConsumptionRow, 'id'>>(
    'insert into mes.consumptions (work_order_id, item_code, lot, qty, at) values ($1, $2, $3, $4, $5) returning id',
    [workOrderId, input.itemCode, input.lot, qty, at],
  );
  const [output] = await uow.query<Pick<LotRow, 'lot'>>('select lot from mes.lots where work_order_id = $1 order by created_at limit 1', [workOrderId]);
  await uow.query('insert into mes.genealogy (input_lot, output_lot, work_order_id, qty, at) values ($1, $2, $3, $4, $5)', [
    input.lot, output?.lot ?? null, workOrderId, qty, at,
  ]);
  uow.audit({ action: 'consume', entity: 'lot', ref: input.lot, before: { qty: num(lot.qty) }, after: { qty: left, workOrder: workOrderId, consumed: qty } });
  const actual: Payload<'ProcessMaterialActual'> = {
    salesOrderId: wo.sales_order ?? null,
    workOrderId,
    itemCode: input.itemCode,
    lot: input.lot,
    qty,
    at: at.toISOString(),
    ...outsideErp(wo),
  };
  uow.emit('ProcessMaterialActual', actual, { correlationId: wo.sales_order ?? null });
  return { id: Number(c.id), workOrder: workOrderId, itemCode: input.itemCode, lot: input.lot, qty, lotQtyLeft: left };
}
