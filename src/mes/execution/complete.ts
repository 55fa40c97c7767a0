import type { ModuleDeps, UnitOfWork } from '../../platform/index.ts';
import { num } from '../../platform/index.ts';
import type { Payload } from '../../messages/index.ts';
import { outsideErp } from '../work-orders/outside-erp.ts';
import { assertWorkOrderMove } from '../work-orders/model.ts';
import { lotNumber } from './lot-number.ts';
import type { WorkOrderRead } from './store.ts';
import type { WorkOrderRow } from '../work-orders/store.ts';

/**
 * Completes a work order: its output lot (pattern of the configuration) is born on hold when an
 * inspection of the work order is still to pass or one failed; the genealogy links of the material
 * it consumed now point at that lot; the ERP is told with ProcessProducedLot.
 */
export async function completeWorkOrder(uow: UnitOfWork, deps: Pick<ModuleDeps, 'config'>, wo: WorkOrderRead, at: Date) {
  assertWorkOrderMove(wo.id, wo.status, 'completed');
  const [after] = await uow.query<WorkOrderRow>(`update mes.work_orders set status = 'completed', completed_at = $2 where id = $1 returning *`, [wo.id, at]);
  uow.audit({ action: 'complete', entity: 'work_order', ref: wo.id, before: { status: wo.status }, after: { status: 'completed', goodQty: num(after.good_qty) } });
  const qty = num(after.good_qty);
  if (qty <= 0) return { workOrder: after, lot: null };
  const [pending] = await uow.query<{ n: number }>(
    `select count(*)::int as n from mes.operations o where o.work_order_id = $1 and o.inspection_required
        and not exists (select 1 from mes.inspections i where i.work_order_id = o.work_order_id and i.result = 'pass'
                        and (i.operation_id is null or i.operation_id = o.id))`,
    [wo.id],
  );
  const holdReason = after.quality_hold ? 'inspection_failed' : pending.n > 0 ? 'inspection_pending' : null;
  const [{ seq }] = await uow.query<{ seq: number }>(`select nextval('mes.lot_seq')::int as seq`);
  let lot = lotNumber(deps.config.lotPattern, { item: wo.item_code, workOrder: wo.id, at, seq });
  const [taken] = await uow.query('select 1 from mes.lots where lot = $1', [lot]);
  if (taken) lot = `${lot}-${wo.id}`;
  const status = holdReason ? 'hold' : 'available';
  await uow.query(
    `insert into mes.lots (lot, item_code, qty, initial_qty, status, hold_reason, work_order_id) values ($1, $2, $3, $3, $4, $5, $6)`,
    [lot, wo.item_code, qty, status, holdReason, wo.id],
  );
  await uow.query('update mes.genealogy set output_lot = $2 where work_order_id = $1 and output_lot is null', [wo.id, lot]);
  uow.audit({ action: 'produce', entity: 'lot', ref: lot, after: { itemCode: wo.item_code, qty, status, workOrder: wo.id } });
  const produced: Payload<'ProcessProducedLot'> = {
    salesOrderId: wo.sales_order ?? null,
    lineNo: wo.line_no ?? null,
    workOrderId: wo.id,
    top: wo.top,
    itemCode: wo.item_code,
    lot,
    qty,
    status,
    at: at.toISOString(),
    ...outsideErp(wo),
  };
  uow.emit('ProcessProducedLot', produced, { correlationId: wo.sales_order ?? null });
  return { workOrder: after, lot: { lot, qty, status } };
}
