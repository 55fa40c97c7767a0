/**
 * ProcessOperationsSchedule for one sales order: one OperationsRequest per work order, one
 * SegmentRequirement per operation (with the work centre as EquipmentRequirement), components as
 * MaterialRequirement `Consumed` (on the operation that uses them, else the first) and the work
 * order's item as MaterialRequirement `Produced` (on the last operation).
 *
 * Ids: SegmentRequirement ID `<workOrder>-<seq>`; ProcessSegmentID = the operation's process
 * segment (its name by default); OperationsDefinitionID = the routing (the item code by default);
 * OperationsSegmentID `<routing>-<seq>`. The due date travels as MaterialRequirementProperty
 * `DueDate` of the Produced requirement (OperationsRequest has no due-date element).
 */
import { B2mmlError } from './errors.ts';
import type { ScheduleDoc, ScheduleOperation, ScheduleWorkOrder } from './types.ts';
import {
  applicationArea,
  dateTime,
  decimal,
  duration,
  id,
  optDateTime,
  quantity,
  serialize,
  span,
  text,
  value,
  type XmlNode,
} from './xml-writer.ts';

/** Used when a work order has no routing: the schema needs at least one SegmentRequirement. */
export const DEFAULT_PROCESS_SEGMENT = 'PRODUCE';
export const DUE_DATE_PROPERTY = 'DueDate';

export function segmentRequirementId(workOrderId: string, seq: number): string {
  return `${workOrderId}-${seq}`;
}

function plannedMinutes(op: ScheduleOperation, qty: number): number | undefined {
  if (op.setupMinutes === undefined && op.minutesPerUnit === undefined) return undefined;
  return (op.setupMinutes ?? 0) + (op.minutesPerUnit ?? 0) * qty;
}

function segmentParameters(op: ScheduleOperation, where: string): XmlNode[] {
  const out: XmlNode[] = [];
  if (op.setupMinutes !== undefined) {
    out.push({ ID: 'SetupMinutes', Value: value(decimal(op.setupMinutes, `${where}.setupMinutes`), 'decimal', 'min') });
  }
  if (op.minutesPerUnit !== undefined) {
    out.push({
      ID: 'MinutesPerUnit',
      Value: value(decimal(op.minutesPerUnit, `${where}.minutesPerUnit`), 'decimal', 'min'),
    });
  }
  return out;
}

function workOrderSegments(wo: ScheduleWorkOrder, w: number): XmlNode[] {
  const where = `workOrders[${w}]`;
  const woId = id(wo.id, `${where}.id`);
  const routing = id(wo.routingId ?? wo.itemCode, `${where}.itemCode`);
  const ops = [...wo.operations].sort((a, b) => a.seq - b.seq);
  const seqs = new Set(ops.map((o) => o.seq));
  if (seqs.size !== ops.length) throw new B2mmlError('invalid-input', `${where}: operation seq values repeat`);
  const firstSeq = ops[0]?.seq ?? 0;
  const lastSeq = ops.at(-1)?.seq ?? 0;

  const consumedAt = new Map<number, XmlNode[]>();
  wo.consumed.forEach((m, i) => {
    const at = m.operationSeq ?? firstSeq;
    if (ops.length > 0 && !seqs.has(at)) {
      throw new B2mmlError('invalid-input', `${where}.consumed[${i}] names operation ${at}, not in the routing`);
    }
    const list = consumedAt.get(at) ?? [];
    list.push({
      ID: `${woId}-C${i + 1}`,
      MaterialDefinitionID: id(m.itemCode, `${where}.consumed[${i}].itemCode`),
      MaterialUse: 'Consumed',
      Quantity: quantity(m.qty, m.uom, `${where}.consumed[${i}].qty`),
    });
    consumedAt.set(at, list);
  });
  const dueDate = optDateTime(wo.dueDate, `${where}.dueDate`);
  const produced: XmlNode = {
    ID: `${woId}-P`,
    MaterialDefinitionID: id(wo.itemCode, `${where}.itemCode`),
    MaterialUse: 'Produced',
    Quantity: quantity(wo.qty, wo.uom, `${where}.qty`),
    MaterialRequirementProperty: dueDate
      ? { ID: DUE_DATE_PROPERTY, Value: value(dueDate, 'dateTime') }
      : undefined,
  };

  const segment = (op: ScheduleOperation | undefined, seq: number): XmlNode => {
    const opWhere = `${where}.operations[seq=${seq}]`;
    const minutes = op ? plannedMinutes(op, wo.qty) : undefined;
    const materials = [...(consumedAt.get(seq) ?? []), ...(seq === lastSeq ? [produced] : [])];
    return {
      ID: segmentRequirementId(woId, seq),
      Description: op ? text(op.name) : undefined,
      EarliestStartTime: optDateTime(op?.plannedStart, `${opWhere}.plannedStart`),
      LatestEndTime: optDateTime(op?.plannedEnd, `${opWhere}.plannedEnd`),
      OperationsType: 'Production',
      ProcessSegmentID: op ? id(op.processSegmentId ?? op.name, `${opWhere}.name`) : DEFAULT_PROCESS_SEGMENT,
      Duration: minutes === undefined ? undefined : duration(minutes, `${opWhere} planned minutes`),
      OperationsDefinitionID: routing,
      OperationsSegmentID: `${routing}-${seq}`,
      SegmentParameter: op ? segmentParameters(op, opWhere) : undefined,
      EquipmentRequirement: op
        ? {
            ID: `${segmentRequirementId(woId, seq)}-EQ`,
            EquipmentID: id(op.workCenter, `${opWhere}.workCenter`),
            EquipmentLevel: 'WorkCenter',
            EquipmentUse: 'Production',
            Quantity: minutes === undefined ? undefined : quantity(minutes, 'min', `${opWhere} planned minutes`),
          }
        : undefined,
      MaterialRequirement: materials,
    };
  };

  return ops.length === 0 ? [segment(undefined, 0)] : ops.map((op) => segment(op, op.seq));
}

function operationsRequest(wo: ScheduleWorkOrder, w: number): XmlNode {
  const where = `workOrders[${w}]`;
  return {
    ID: id(wo.id, `${where}.id`),
    StartTime: optDateTime(wo.plannedStart, `${where}.plannedStart`),
    EndTime: optDateTime(wo.plannedEnd, `${where}.plannedEnd`),
    OperationsType: 'Production',
    SegmentRequirement: workOrderSegments(wo, w),
  };
}

/** The ProcessOperationsSchedule document (B2MML V0701) of one sales order. */
export function buildOperationsSchedule(s: ScheduleDoc): string {
  if (s.workOrders.length === 0) {
    throw new B2mmlError('invalid-input', `schedule ${s.id}: at least one work order is required`);
  }
  const requests = s.workOrders.map(operationsRequest);
  const starts = s.workOrders.map((wo, w) => optDateTime(wo.plannedStart, `workOrders[${w}].plannedStart`));
  const ends = s.workOrders.map((wo, w) => optDateTime(wo.plannedEnd, `workOrders[${w}].plannedEnd`));
  const schedule: XmlNode = {
    ID: id(s.id, 'id'),
    PublishedDate: dateTime(s.createdAt, 'createdAt'),
    StartTime: span(starts, 'min'),
    EndTime: span(ends, 'max'),
    OperationsType: 'Production',
    OperationsRequest: requests,
  };
  return serialize('ProcessOperationsSchedule', applicationArea(s), { Process: {}, OperationsSchedule: schedule });
}
