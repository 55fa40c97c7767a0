import type { UnitOfWork } from '../../platform/index.ts';
import type { Payload } from '../../messages/index.ts';
import { createWorkOrders, type CreatedWorkOrder, type ProductionRequest } from './create.ts';
import type { PlanOptions } from './plan.ts';
import { plannedLines, plannedLinesOf, type PlannedLine } from './planned-lines.ts';

/** A production request as it arrives: its payload and the message that carried it. */
export interface ScheduleRequest {
  messageId: string | null;
  /** The message's outbox position: the BOM versions in force at approval are those that came before it. */
  seq?: number | null;
  payload: Payload<'ProcessOperationsSchedule'>;
}

/**
 * ProcessOperationsSchedule, for one or many sales orders at once (a bulk release arrives as one
 * batch): the work orders of every line in one creation (lines already made are skipped), then one
 * acknowledgement per sales order.
 */
export async function acceptOperationsSchedules(uow: UnitOfWork, schedules: ScheduleRequest[], plan: PlanOptions) {
  const requests: ProductionRequest[] = schedules.flatMap(({ messageId, seq, payload: p }) =>
    p.requests.map((r) => ({
      salesOrder: p.salesOrderId, lineNo: r.lineNo, itemCode: r.itemCode, qty: r.qty, dueDate: r.dueDate, bomVersion: r.bomVersion, priority: r.priority, messageId,
      bomAsOf: seq ?? null,
    })),
  );
  const created = await createWorkOrders(uow, requests, plan, true);
  const bySalesOrder = new Map<string, CreatedWorkOrder[]>();
  for (const w of created) bySalesOrder.set(w.salesOrder!, [...(bySalesOrder.get(w.salesOrder!) ?? []), w]);
  const acknowledged = new Map<string, PlannedLine[]>();
  for (const { payload: p } of schedules) {
    const made = bySalesOrder.get(p.salesOrderId) ?? [];
    const allNew = new Set(made.map((c) => c.lineNo)).size === p.requests.length;
    const lines = allNew ? plannedLinesOf(made) : await plannedLines(uow, p.salesOrderId, p.requests.map((r) => r.lineNo));
    uow.emit('AcknowledgeOperationsSchedule', { salesOrderId: p.salesOrderId, lines } satisfies Payload<'AcknowledgeOperationsSchedule'>, {
      correlationId: p.salesOrderId,
    });
    acknowledged.set(p.salesOrderId, lines);
  }
  return acknowledged;
}
