import { z } from 'zod';

/**
 * The published language between ERP and MES (DESIGN.md): message types named after B2MML V0701
 * verbs and nouns, each with one versioned runtime schema. They carry ids and facts, never whole
 * rows. Both sides import this file and nothing else of each other. An outside ERP or MES that
 * speaks these messages can take either side's place (docs/messages.md is generated from here).
 *
 * Quantities are numbers (decimals in storage), instants ISO-8601 UTC, days YYYY-MM-DD.
 */
const qty = z.number().finite();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const instant = z.string().datetime({ offset: true });
/**
 * On MES messages about the work of a plant run by an outside ERP (integration system code): that
 * system gets it through its feed, and the built-in ERP books nothing of it.
 */
const outsideErp = z.string().optional();

// ───────────── ERP → MES: master data ─────────────

/** Items the MES needs a copy of (on create and on every change). */
export const SyncMaterialDefinition = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: z.enum(['raw', 'semi', 'finished']),
      uom: z.string(),
      standardCost: qty,
      leadTimeDays: z.number(),
    }),
  ),
});

/** A new BOM version of an item (quantity per one parent; scrap factor 0.05 = 5 % extra). */
export const SyncBillOfMaterial = z.object({
  itemCode: z.string(),
  version: z.number().int(),
  components: z.array(z.object({ itemCode: z.string(), qty, scrapFactor: z.number().default(0) })),
});

/**
 * A lot's quantity and status as its sender sees it. ERP → MES on receipts, stock adjustments and
 * ERP-side holds; MES → ERP on quality holds, releases and rejections. `qty` is the lot's on-hand
 * quantity after the change (absent when only the status changed).
 */
export const SyncMaterialLot = z.object({
  lot: z.string(),
  itemCode: z.string(),
  status: z.enum(['available', 'hold', 'rejected']),
  qty: qty.optional(),
  supplier: z.string().optional(),
  reason: z.string().optional(),
  outsideErp,
});

// ───────────── ERP → MES: orders ─────────────

/** Production requested for an approved sales order: one request per order line. */
export const ProcessOperationsSchedule = z.object({
  salesOrderId: z.string(),
  customer: z.string(),
  requests: z.array(
    z.object({
      lineNo: z.number().int(),
      itemCode: z.string(),
      qty,
      dueDate: day,
      bomVersion: z.number().int().nullable(),
      priority: z.number().int().default(0),
    }),
  ),
});

/** A change of one order line after release: new quantity and/or due date. */
export const ChangeOperationsSchedule = z.object({
  salesOrderId: z.string(),
  changeId: z.string(),
  lineNo: z.number().int(),
  qty: qty.optional(),
  dueDate: day.optional(),
});

/** Cancellation of a released order (all its lines). */
export const CancelOperationsSchedule = z.object({
  salesOrderId: z.string(),
  changeId: z.string(),
});

// ───────────── MES → ERP ─────────────

const plannedLine = z.object({
  lineNo: z.number().int(),
  /** Every work order of the line, top first; children name their parent. */
  workOrders: z.array(
    z.object({
      id: z.string(),
      itemCode: z.string(),
      qty,
      parentWorkOrder: z.string().nullable(),
      plannedStart: instant.nullable(),
      plannedEnd: instant.nullable(),
      /** Standard minutes of the work order: setup + minutes per unit × qty over its operations (progress by standard hours). */
      standardMinutes: qty.optional(),
      /** Where its material is staged (its first work centre's supply warehouse), when there is one. */
      supplyWarehouse: z.string().nullable().optional(),
    }),
  ),
  plannedStart: instant.nullable(),
  plannedEnd: instant.nullable(),
  /** Standard conversion cost of all work orders of the line: routing times × rates in force. */
  standard: z.object({ labor: qty, machine: qty }),
});

/** The MES accepted the production request: work orders made and scheduled. */
export const AcknowledgeOperationsSchedule = z.object({
  salesOrderId: z.string(),
  lines: z.array(plannedLine),
});

/** Planned dates changed (rescheduling, a change accepted). */
export const SyncOperationsSchedule = z.object({
  salesOrderId: z.string(),
  lines: z.array(plannedLine.omit({ standard: true }).extend({ standard: plannedLine.shape.standard.optional() })),
});

/** The MES's answer to a change or cancellation, with its reason. */
export const RespondOperationsSchedule = z.object({
  salesOrderId: z.string(),
  changeId: z.string(),
  lineNo: z.number().int().nullable(),
  accepted: z.boolean(),
  reason: z.string(),
  workOrders: z.array(z.object({ id: z.string(), itemCode: z.string(), qty, newQty: qty, goodQty: qty, status: z.string() })),
  /** What was already made when a cancel was accepted (finished or semi-finished lots). */
  alreadyMade: z.array(z.object({ itemCode: z.string(), lot: z.string(), qty })).default([]),
});

/**
 * Progress of one work order after a start, report, scrap or completion: cumulative good/scrap of
 * the work order and the time booked by this event with the rates in force when it was booked.
 */
export const ProcessOperationsPerformance = z.object({
  salesOrderId: z.string().nullable(),
  lineNo: z.number().int().nullable(),
  workOrderId: z.string(),
  itemCode: z.string(),
  /** The line's top work order (the one that makes the ordered item). */
  top: z.boolean(),
  event: z.enum(['started', 'reported', 'completed', 'cancelled']),
  operationId: z.string().nullable(),
  workOrderQty: qty,
  goodQty: qty,
  scrapQty: qty,
  booked: z.object({
    laborMinutes: qty,
    machineMinutes: qty,
    energyKwh: qty,
    laborCost: qty,
    machineCost: qty,
    energyCost: qty,
  }),
  at: instant,
  outsideErp,
});

/** Material consumed by lot against a work order: the ERP issues it from stock. */
export const ProcessMaterialActual = z.object({
  salesOrderId: z.string().nullable(),
  workOrderId: z.string(),
  itemCode: z.string(),
  lot: z.string(),
  qty,
  at: instant,
  outsideErp,
});

/** A lot produced by a work order completion: the ERP receives it into stock at its actual cost. */
export const ProcessProducedLot = z.object({
  salesOrderId: z.string().nullable(),
  lineNo: z.number().int().nullable(),
  workOrderId: z.string(),
  top: z.boolean(),
  itemCode: z.string(),
  lot: z.string(),
  qty,
  status: z.enum(['available', 'hold']),
  at: instant,
  outsideErp,
});

export const messageSchemas = {
  SyncMaterialDefinition,
  SyncBillOfMaterial,
  SyncMaterialLot,
  ProcessOperationsSchedule,
  ChangeOperationsSchedule,
  CancelOperationsSchedule,
  AcknowledgeOperationsSchedule,
  SyncOperationsSchedule,
  RespondOperationsSchedule,
  ProcessOperationsPerformance,
  ProcessMaterialActual,
  ProcessProducedLot,
} as const;

export type MessageType = keyof typeof messageSchemas;
export type Payload<T extends MessageType> = z.infer<(typeof messageSchemas)[T]>;

/** Who sends and who receives each type (for the trace's from/to and the catalogue). */
export const messageRoutes: Record<MessageType, { from: 'erp' | 'mes' | 'erp|mes'; to: 'erp' | 'mes' | 'erp|mes'; version: number }> = {
  SyncMaterialDefinition: { from: 'erp', to: 'mes', version: 1 },
  SyncBillOfMaterial: { from: 'erp', to: 'mes', version: 1 },
  SyncMaterialLot: { from: 'erp|mes', to: 'erp|mes', version: 1 },
  ProcessOperationsSchedule: { from: 'erp', to: 'mes', version: 1 },
  ChangeOperationsSchedule: { from: 'erp', to: 'mes', version: 1 },
  CancelOperationsSchedule: { from: 'erp', to: 'mes', version: 1 },
  AcknowledgeOperationsSchedule: { from: 'mes', to: 'erp', version: 1 },
  SyncOperationsSchedule: { from: 'mes', to: 'erp', version: 1 },
  RespondOperationsSchedule: { from: 'mes', to: 'erp', version: 1 },
  ProcessOperationsPerformance: { from: 'mes', to: 'erp', version: 1 },
  ProcessMaterialActual: { from: 'mes', to: 'erp', version: 1 },
  ProcessProducedLot: { from: 'mes', to: 'erp', version: 1 },
};

/** Validates a payload against its type's schema; a handler calls it first (bad data → dead letter). */
export function parseMessage<T extends MessageType>(type: T, payload: unknown): Payload<T> {
  return messageSchemas[type].parse(payload) as Payload<T>;
}
