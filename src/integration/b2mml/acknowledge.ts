/**
 * The answers to an inbound schedule: `AcknowledgeOperationsSchedule` (to Process) and
 * `RespondOperationsSchedule` (to Change). The verb carries one ResponseCriteria per request —
 * ResponseExpression with actionCode Accepted / Rejected / Modified naming the request, and a
 * ChangeStatus with the code and the reason. The noun echoes the schedule and its requests.
 *
 * Schema quirk: the noun must hold at least one SegmentRequirement per OperationsRequest, each
 * with ProcessSegmentID, OperationsDefinitionID and OperationsSegmentID. The answer writes one per
 * work order created (ID and OperationsSegmentID = the work order id, ProcessSegmentID
 * `WORK-ORDER`, OperationsDefinitionID = the request id), or one for the request itself when no
 * work order was created.
 */
import { B2mmlError } from './errors.ts';
import type { AcknowledgeDoc, AcknowledgedRequest, RequestStatus } from './types.ts';
import { applicationArea, dateTime, id, serialize, text, type XmlNode } from './xml-writer.ts';

export const WORK_ORDER_SEGMENT = 'WORK-ORDER';

const actionCode: Record<RequestStatus, string> = { accepted: 'Accepted', rejected: 'Rejected', modified: 'Modified' };
const requestState: Record<RequestStatus, string> = { accepted: 'Released', rejected: 'Cancelled', modified: 'Released' };

function quoted(s: string): string {
  return s.includes("'") ? `"${s.replace(/"/g, '')}"` : `'${s}'`;
}

function responseCriteria(scheduleId: string, r: AcknowledgedRequest, i: number): XmlNode {
  const requestId = id(r.id, `requests[${i}].id`);
  const code = actionCode[r.status];
  if (!code) throw new B2mmlError('invalid-input', `requests[${i}].status must be accepted, rejected or modified`);
  const made = r.workOrderIds.length > 0 ? `work orders ${r.workOrderIds.join(', ')}` : 'no work order';
  return {
    ResponseExpression: {
      '#text': `OperationsSchedule[ID=${quoted(scheduleId)}]/OperationsRequest[ID=${quoted(requestId)}]`,
      '@_actionCode': code,
    },
    ChangeStatus: {
      Code: code,
      Description: text(r.reason ? `${made}: ${r.reason}` : made),
      Reason: r.reason ? text(r.reason) : undefined,
    },
  };
}

function operationsRequest(r: AcknowledgedRequest, i: number): XmlNode {
  const requestId = id(r.id, `requests[${i}].id`);
  const segment = (segmentId: string, description: string): XmlNode => ({
    ID: segmentId,
    Description: description,
    OperationsType: 'Production',
    ProcessSegmentID: WORK_ORDER_SEGMENT,
    OperationsDefinitionID: requestId,
    OperationsSegmentID: segmentId,
    SegmentState: requestState[r.status],
  });
  const workOrders = r.workOrderIds.map((w, j) => id(w, `requests[${i}].workOrderIds[${j}]`));
  return {
    ID: requestId,
    OperationsType: 'Production',
    RequestState: requestState[r.status],
    SegmentRequirement:
      workOrders.length > 0
        ? workOrders.map((w) => segment(w, `work order ${w}`))
        : [segment(requestId, r.status === 'rejected' ? 'rejected: no work order' : 'no work order')],
  };
}

function answer(root: string, verb: 'Acknowledge' | 'Respond', a: AcknowledgeDoc): string {
  if (a.requests.length === 0) throw new B2mmlError('invalid-input', `${root} ${a.id}: at least one request is required`);
  const scheduleId = id(a.id, 'id');
  const verbNode: XmlNode = {
    OriginalApplicationArea: a.original
      ? applicationArea(
          { createdAt: a.original.createdAt, bodId: a.original.bodId, sender: a.original.sender ?? null },
          'original.createdAt',
        )
      : undefined,
    ResponseCriteria: a.requests.map((r, i) => responseCriteria(scheduleId, r, i)),
  };
  return serialize(root, applicationArea(a), {
    [verb]: verbNode,
    OperationsSchedule: {
      ID: scheduleId,
      PublishedDate: dateTime(a.createdAt, 'createdAt'),
      OperationsType: 'Production',
      OperationsRequest: a.requests.map(operationsRequest),
    },
  });
}

/** AcknowledgeOperationsSchedule: the answer to a ProcessOperationsSchedule. */
export function buildAcknowledgeOperationsSchedule(a: AcknowledgeDoc): string {
  return answer('AcknowledgeOperationsSchedule', 'Acknowledge', a);
}

/** RespondOperationsSchedule: the answer to a ChangeOperationsSchedule (accepted, modified or refused). */
export function buildRespondOperationsSchedule(a: AcknowledgeDoc): string {
  return answer('RespondOperationsSchedule', 'Respond', a);
}
