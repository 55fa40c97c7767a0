import type { UnitOfWork } from '../../platform/index.ts';
import { num } from '../../platform/index.ts';
import type { Payload } from '../../messages/index.ts';
import { outsideErp } from '../work-orders/outside-erp.ts';
import type { WorkOrderRead } from './store.ts';

export interface Booked {
  laborMinutes: number;
  machineMinutes: number;
  energyKwh: number;
  laborCost: number;
  machineCost: number;
  energyCost: number;
}
export const NOTHING_BOOKED: Booked = { laborMinutes: 0, machineMinutes: 0, energyKwh: 0, laborCost: 0, machineCost: 0, energyCost: 0 };

/** ProcessOperationsPerformance of a work order row (as read after the change), correlated to its sales order. */
export function emitPerformance(
  uow: UnitOfWork,
  wo: Pick<WorkOrderRead, 'id' | 'sales_order' | 'line_no' | 'item_code' | 'top' | 'qty' | 'good_qty' | 'scrap_qty'> & { outside_erp?: string | null },
  event: Payload<'ProcessOperationsPerformance'>['event'],
  operationId: string | null,
  booked: Booked,
  at: Date,
) {
  const payload: Payload<'ProcessOperationsPerformance'> = {
    salesOrderId: wo.sales_order ?? null,
    lineNo: wo.line_no ?? null,
    workOrderId: wo.id,
    itemCode: wo.item_code,
    top: wo.top,
    event,
    operationId,
    workOrderQty: num(wo.qty),
    goodQty: num(wo.good_qty),
    scrapQty: num(wo.scrap_qty),
    booked,
    at: at.toISOString(),
    ...outsideErp(wo),
  };
  uow.emit('ProcessOperationsPerformance', payload, { correlationId: wo.sales_order ?? null });
}
