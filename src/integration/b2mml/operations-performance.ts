/**
 * ProcessOperationsPerformance: one OperationsResponse per work order (ID and OperationsRequestID
 * = the work order id), one SegmentResponse per operation whose SegmentRequirementID matches the
 * schedule's `<workOrder>-<seq>`. Each SegmentResponse carries ActualStartTime/ActualEndTime,
 * PersonnelActual per labour booking (minutes), EquipmentActual for the work centre (machine
 * minutes), MaterialActual `Consumed` per consumed lot (on its operation, else the first) and
 * MaterialActual `Produced` per finished lot (on the last operation).
 *
 * Scrap of an operation is a MaterialActual of the work order's item with MaterialUse `Other`
 * (OtherValue `Scrap`), a Quantity keyed `Scrap` and the reason as MaterialActualProperty
 * `ScrapReason`; good quantities are keyed `Good`. Consumers that add up `Produced` thus never
 * count scrap as output.
 *
 * Schema quirk: the OperationsPerformance end time is spelled `Endtime` (lower-case t), while
 * OperationsResponse has `EndTime` and SegmentResponse `ActualEndTime`.
 */
import { B2mmlError } from './errors.ts';
import { DEFAULT_PROCESS_SEGMENT, segmentRequirementId } from './operations-schedule.ts';
import type { PerformanceDoc, PerformanceOperation, WorkOrderPerformance } from './types.ts';
import {
  applicationArea,
  dateTime,
  decimal,
  id,
  optDateTime,
  quantity,
  serialize,
  span,
  text,
  value,
  type XmlNode,
} from './xml-writer.ts';

export const SCRAP_KEY = 'Scrap';
export const GOOD_KEY = 'Good';
export const SCRAP_REASON_PROPERTY = 'ScrapReason';

function segmentResponses(wo: WorkOrderPerformance, w: number): XmlNode[] {
  const where = `workOrders[${w}]`;
  const woId = id(wo.id, `${where}.id`);
  const item = id(wo.itemCode, `${where}.itemCode`);
  const routing = id(wo.routingId ?? wo.itemCode, `${where}.itemCode`);
  const ops = [...wo.operations].sort((a, b) => a.seq - b.seq);
  const seqs = new Set(ops.map((o) => o.seq));
  if (seqs.size !== ops.length) throw new B2mmlError('invalid-input', `${where}: operation seq values repeat`);
  const firstSeq = ops[0]?.seq ?? 0;
  const lastSeq = ops.at(-1)?.seq ?? 0;

  const consumedAt = new Map<number, XmlNode[]>();
  wo.consumed.forEach((c, i) => {
    const at = c.operationSeq ?? firstSeq;
    if (ops.length > 0 && !seqs.has(at)) {
      throw new B2mmlError('invalid-input', `${where}.consumed[${i}] names operation ${at}, not in the routing`);
    }
    const list = consumedAt.get(at) ?? [];
    list.push({
      ID: `${woId}-C${i + 1}`,
      MaterialDefinitionID: id(c.itemCode, `${where}.consumed[${i}].itemCode`),
      MaterialLotID: c.lotId === undefined ? undefined : id(c.lotId, `${where}.consumed[${i}].lotId`),
      MaterialUse: 'Consumed',
      Quantity: quantity(c.qty, c.uom, `${where}.consumed[${i}].qty`),
    });
    consumedAt.set(at, list);
  });
  const produced: XmlNode[] = wo.produced.map((p, i) => ({
    ID: `${woId}-P${i + 1}`,
    MaterialDefinitionID: item,
    MaterialLotID: id(p.lotId, `${where}.produced[${i}].lotId`),
    MaterialUse: 'Produced',
    Quantity: quantity(p.qty, p.uom ?? wo.uom, `${where}.produced[${i}].qty`, GOOD_KEY),
  }));

  const segment = (op: PerformanceOperation | undefined, seq: number): XmlNode => {
    const opWhere = `${where}.operations[seq=${seq}]`;
    const segId = segmentRequirementId(woId, seq);
    const scrap: XmlNode[] =
      op?.scrapQty !== undefined && op.scrapQty > 0
        ? [
            {
              ID: `${segId}-SCRAP`,
              MaterialDefinitionID: item,
              Description: `Scrap${op.scrapReason ? `: ${text(op.scrapReason)}` : ''}`,
              MaterialUse: { '#text': 'Other', '@_OtherValue': SCRAP_KEY },
              Quantity: quantity(op.scrapQty, wo.uom, `${opWhere}.scrapQty`, SCRAP_KEY),
              MaterialActualProperty: op.scrapReason
                ? { ID: SCRAP_REASON_PROPERTY, Value: value(op.scrapReason, 'string') }
                : undefined,
            },
          ]
        : [];
    return {
      ID: segId,
      Description: op ? text(op.name) : undefined,
      ActualStartTime: optDateTime(op?.actualStart, `${opWhere}.actualStart`),
      ActualEndTime: optDateTime(op?.actualEnd, `${opWhere}.actualEnd`),
      OperationsType: 'Production',
      ProcessSegmentID: op ? id(op.processSegmentId ?? op.name, `${opWhere}.name`) : DEFAULT_PROCESS_SEGMENT,
      OperationsRequestID: woId,
      SegmentRequirementID: segId,
      OperationsDefinitionID: routing,
      OperationsSegmentID: `${routing}-${seq}`,
      SegmentState: op?.state,
      SegmentData:
        op?.goodQty === undefined
          ? undefined
          : { ID: 'GoodQuantity', Value: value(decimal(op.goodQty, `${opWhere}.goodQty`), 'decimal', wo.uom, GOOD_KEY) },
      PersonnelActual: (op?.labour ?? []).map((l, i) => ({
        ID: `${segId}-L${i + 1}`,
        PersonID: id(l.personId, `${opWhere}.labour[${i}].personId`),
        PersonnelUse: 'Production',
        Quantity: quantity(l.minutes, 'min', `${opWhere}.labour[${i}].minutes`),
      })),
      EquipmentActual: op
        ? {
            ID: `${segId}-EQ`,
            EquipmentID: id(op.equipmentId ?? op.workCenter, `${opWhere}.workCenter`),
            Description: op.equipmentId ? `work centre ${text(op.workCenter)}` : undefined,
            EquipmentUse: 'Production',
            Quantity:
              op.machineMinutes === undefined
                ? undefined
                : quantity(op.machineMinutes, 'min', `${opWhere}.machineMinutes`),
          }
        : undefined,
      MaterialActual: [...(consumedAt.get(seq) ?? []), ...(seq === lastSeq ? produced : []), ...scrap],
    };
  };

  return ops.length === 0 ? [segment(undefined, 0)] : ops.map((op) => segment(op, op.seq));
}

function operationsResponse(wo: WorkOrderPerformance, w: number): XmlNode {
  const where = `workOrders[${w}]`;
  return {
    ID: id(wo.id, `${where}.id`),
    StartTime: optDateTime(wo.actualStart, `${where}.actualStart`),
    EndTime: optDateTime(wo.actualEnd, `${where}.actualEnd`),
    OperationsType: 'Production',
    OperationsRequestID: id(wo.id, `${where}.id`),
    ResponseState: wo.state,
    SegmentResponse: segmentResponses(wo, w),
  };
}

/** The ProcessOperationsPerformance document (B2MML V0701) of one or more work orders. */
export function buildOperationsPerformance(p: PerformanceDoc): string {
  if (p.workOrders.length === 0) {
    throw new B2mmlError('invalid-input', `performance ${p.id}: at least one work order is required`);
  }
  const performance: XmlNode = {
    ID: id(p.id, 'id'),
    PublishedDate: dateTime(p.createdAt, 'createdAt'),
    StartTime: span(p.workOrders.map((wo, w) => optDateTime(wo.actualStart, `workOrders[${w}].actualStart`)), 'min'),
    // sic: the V0701 schema spells this one `Endtime`
    Endtime: span(p.workOrders.map((wo, w) => optDateTime(wo.actualEnd, `workOrders[${w}].actualEnd`)), 'max'),
    OperationsType: 'Production',
    OperationsScheduleID: p.operationsScheduleId === undefined ? undefined : id(p.operationsScheduleId, 'operationsScheduleId'),
    OperationsResponse: p.workOrders.map(operationsResponse),
  };
  return serialize('ProcessOperationsPerformance', applicationArea(p), {
    Process: {},
    OperationsPerformance: performance,
  });
}
