/**
 * Plain input/output types of the B2MML codec. Times are ISO-8601 strings (UTC on the wire);
 * quantities are numbers at the platform's decimal scale; units are the item's unit codes.
 */

/** An ISO-8601 date-time (or date) string, or a Date. */
export type Instant = string | Date;

// ---------------------------------------------------------------- ProcessOperationsSchedule

export interface ScheduleOperation {
  /** Routing sequence (10, 20, …); unique within the work order. */
  seq: number;
  /** Operation name; used as ProcessSegmentID unless `processSegmentId` is given. */
  name: string;
  workCenter: string;
  processSegmentId?: string;
  plannedStart?: Instant;
  plannedEnd?: Instant;
  setupMinutes?: number;
  minutesPerUnit?: number;
}

export interface ScheduleMaterial {
  itemCode: string;
  qty: number;
  uom: string;
  /** The operation that consumes it; the first operation when absent. */
  operationSeq?: number;
}

export interface ScheduleWorkOrder {
  id: string;
  /** The item the work order produces. */
  itemCode: string;
  qty: number;
  uom: string;
  /** The routing (operations definition) id; the item code when absent. */
  routingId?: string;
  plannedStart?: Instant;
  plannedEnd?: Instant;
  dueDate?: Instant;
  operations: ScheduleOperation[];
  consumed: ScheduleMaterial[];
}

export interface ScheduleDoc {
  /** Sales order id: the OperationsSchedule ID. */
  id: string;
  createdAt: Instant;
  /** Sender/LogicalID of the ApplicationArea; `Closeloop` when absent. */
  sender?: string;
  /** BODID of the ApplicationArea (e.g. the outbox message id). */
  bodId?: string;
  workOrders: ScheduleWorkOrder[];
}

// ------------------------------------------------------------- ProcessOperationsPerformance

export type ResponseState = 'Waiting' | 'Ready' | 'Running' | 'Completed' | 'Aborted' | 'Held' | 'Paused' | 'Closed';

export interface LabourBooking {
  /** The operator (PersonID). */
  personId: string;
  minutes: number;
}

export interface PerformanceOperation {
  seq: number;
  name: string;
  workCenter: string;
  processSegmentId?: string;
  /** The machine booked, when it is not the work centre itself. */
  equipmentId?: string;
  state?: ResponseState;
  actualStart?: Instant;
  actualEnd?: Instant;
  labour?: LabourBooking[];
  machineMinutes?: number;
  /** Good quantity reported at this operation (unit of the work order). */
  goodQty?: number;
  scrapQty?: number;
  scrapReason?: string;
}

export interface ConsumedLot {
  itemCode: string;
  lotId?: string;
  qty: number;
  uom: string;
  /** The operation that consumed it; the first operation when absent. */
  operationSeq?: number;
}

export interface ProducedLot {
  lotId: string;
  /** Good quantity received into the lot. */
  qty: number;
  /** The work order's unit when absent. */
  uom?: string;
}

export interface WorkOrderPerformance {
  /** Work order id: the OperationsRequestID the response answers. */
  id: string;
  itemCode: string;
  uom: string;
  routingId?: string;
  state?: ResponseState;
  actualStart?: Instant;
  actualEnd?: Instant;
  operations: PerformanceOperation[];
  consumed: ConsumedLot[];
  /** Finished lots, reported on the last operation. */
  produced: ProducedLot[];
}

export interface PerformanceDoc {
  /** OperationsPerformance ID (e.g. the work order id, or a report id). */
  id: string;
  createdAt: Instant;
  /** The OperationsSchedule answered (the sales order id). */
  operationsScheduleId?: string;
  sender?: string;
  bodId?: string;
  workOrders: WorkOrderPerformance[];
}

// ---------------------------------------------------------------- parsed inbound schedule

export interface ParsedMaterial {
  itemCode: string;
  qty: number;
  uom?: string;
}

export interface ParsedRequest {
  /** OperationsRequest ID: becomes the work order's externalRef. */
  id: string;
  producedItem: string;
  qty: number;
  uom?: string;
  /** ISO-8601 UTC. */
  start?: string;
  end?: string;
  dueDate?: string;
  consumed: ParsedMaterial[];
}

export interface ParsedSchedule {
  id: string;
  /** The verb of the document. */
  verb: 'Process' | 'Change' | 'Sync';
  /** ApplicationArea/CreationDateTime and BODID, to echo in the answer. */
  createdAt?: string;
  bodId?: string;
  sender?: string;
  requests: ParsedRequest[];
}

// ---------------------------------------------------------------- Acknowledge / Respond

export type RequestStatus = 'accepted' | 'rejected' | 'modified';

export interface AcknowledgedRequest {
  /** OperationsRequest ID of the inbound document. */
  id: string;
  /** The work orders created (or changed) for it; empty when rejected. */
  workOrderIds: string[];
  status: RequestStatus;
  reason?: string;
}

export interface AcknowledgeDoc {
  /** OperationsSchedule ID of the inbound document. */
  id: string;
  createdAt: Instant;
  sender?: string;
  bodId?: string;
  /** The inbound ApplicationArea, echoed as OriginalApplicationArea. */
  original?: { createdAt: Instant; bodId?: string; sender?: string };
  requests: AcknowledgedRequest[];
}

export interface ValidationResult {
  valid: boolean;
  errors: string[];
}
