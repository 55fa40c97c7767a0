import type { UnitOfWork } from '../../platform/index.ts';
import type { Payload } from '../../messages/index.ts';
import { createWorkOrders, type CreatedWorkOrder, type ProductionRequest } from './create.ts';
import type { PlanOptions } from './plan.ts';
import { plannedLines, type PlannedLine } from './store.ts';

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
    const lines = allNew ? linesOf(made) : await plannedLines(uow, p.salesOrderId, p.requests.map((r) => r.lineNo));
    uow.emit('AcknowledgeOperationsSchedule', { salesOrderId: p.salesOrderId, lines } satisfies Payload<'AcknowledgeOperationsSchedule'>, {
      correlationId: p.salesOrderId,
    });
    acknowledged.set(p.salesOrderId, lines);
  }
  return acknowledged;
}

/** Acknowledged lines from freshly made work orders (no second read). */
function linesOf(created: CreatedWorkOrder[]): PlannedLine[] {
  const lines = new Map<number, PlannedLine>();
  const cents = (n: number) => Math.round(n * 100) / 100;
  for (const w of created) {
    const no = w.lineNo ?? 0;
    let line = lines.get(no);
    if (!line) lines.set(no, (line = { lineNo: no, workOrders: [], plannedStart: null, plannedEnd: null, standard: { labor: 0, machine: 0 } }));
    line.workOrders.push({
      id: w.id, itemCode: w.itemCode, qty: w.qty, parentWorkOrder: w.parentWorkOrder, plannedStart: w.plannedStart, plannedEnd: w.plannedEnd,
      standardMinutes: Math.round(w.standard.minutes * 1e6) / 1e6,
    });
    if (w.plannedStart && (!line.plannedStart || w.plannedStart < line.plannedStart)) line.plannedStart = w.plannedStart;
    if (w.plannedEnd && (!line.plannedEnd || w.plannedEnd > line.plannedEnd)) line.plannedEnd = w.plannedEnd;
    line.standard = { labor: line.standard.labor + w.standard.labor, machine: line.standard.machine + w.standard.machine };
  }
  for (const l of lines.values()) l.standard = { labor: cents(l.standard.labor), machine: cents(l.standard.machine) };
  return [...lines.values()].sort((a, b) => a.lineNo - b.lineNo);
}
