import { z } from 'zod';
import { createExternalWorkOrders, mesKnownItems, performanceOfWorkOrder, workOrdersOfSalesOrder } from '../../mes/index.ts';
import { AppError, answer, notFound, type ModuleDeps, type Router } from '../../platform/index.ts';
import { receiveB2mml } from '../systems/b2mml-inbound.ts';
import { SystemCode } from '../systems/model.ts';
import { requireSystem } from '../systems/service.ts';
import { isB2mmlError } from './errors.ts';
import { buildAcknowledgeOperationsSchedule } from './acknowledge.ts';
import { buildOperationsPerformance } from './operations-performance.ts';
import { buildOperationsSchedule } from './operations-schedule.ts';
import { parseOperationsSchedule } from './parse-schedule.ts';

const XML = 'application/xml; charset=utf-8';

/** B2MML V0701 (ISA-95 Part 5) exports and the inbound endpoint for outside ERPs. */
export function b2mmlRoutes(router: Router, deps: ModuleDeps) {
  router.route({
    method: 'GET',
    url: '/api/v1/integration/b2mml/operations-schedule/:salesOrderId',
    permission: 'integration.read',
    summary: 'ProcessOperationsSchedule of a sales order: one OperationsRequest per work order',
    params: z.strictObject({ salesOrderId: z.string().min(1) }),
    handler: async ({ q, params, actor }) => {
      const wos = await workOrdersOfSalesOrder(q, params.salesOrderId, actor);
      if (!wos.length) throw notFound('work orders of sales order', params.salesOrderId);
      const units = await mesKnownItems(q, [...new Set(wos.flatMap((w) => [w.itemCode, ...w.materials.map((m) => m.itemCode)]))]);
      const uom = (code: string) => units.get(code)?.uom ?? 'EA';
      const xml = buildOperationsSchedule({
        id: params.salesOrderId,
        createdAt: new Date(),
        workOrders: wos.map((w) => ({
          id: w.id,
          itemCode: w.itemCode,
          qty: w.qty,
          uom: uom(w.itemCode),
          plannedStart: w.plannedStart ?? undefined,
          plannedEnd: w.plannedEnd ?? undefined,
          dueDate: w.dueDate ?? undefined,
          operations: w.operations.map((o) => ({
            seq: o.seq,
            name: o.name,
            workCenter: o.workCenter,
            plannedStart: o.plannedStart ?? undefined,
            plannedEnd: o.plannedEnd ?? undefined,
            setupMinutes: o.setupMinutes,
            minutesPerUnit: o.minutesPerUnit,
          })),
          consumed: w.materials.map((m) => ({ itemCode: m.itemCode, qty: m.qty, uom: uom(m.itemCode) })),
        })),
      });
      return answer(200, xml, XML);
    },
  });

  router.route({
    method: 'GET',
    url: '/api/v1/integration/b2mml/operations-performance/:workOrderId',
    permission: 'integration.read',
    summary: 'ProcessOperationsPerformance of a work order: material, personnel and equipment actuals',
    params: z.strictObject({ workOrderId: z.string().min(1) }),
    handler: async ({ q, params, actor }) => {
      const p = await performanceOfWorkOrder(q, params.workOrderId, actor);
      const wo = p.workOrder;
      const units = await mesKnownItems(q, [wo.itemCode, ...p.consumed.map((c) => c.itemCode)]);
      const uom = (code: string) => units.get(code)?.uom ?? 'EA';
      const firstSeq = wo.operations[0]?.seq;
      const xml = buildOperationsPerformance({
        id: wo.id,
        createdAt: new Date(),
        operationsScheduleId: wo.salesOrder ?? wo.externalRef ?? undefined,
        workOrders: [
          {
            id: wo.id,
            itemCode: wo.itemCode,
            uom: uom(wo.itemCode),
            state: wo.status === 'completed' ? 'Completed' : wo.status === 'in_progress' ? 'Running' : wo.status === 'cancelled' ? 'Aborted' : 'Waiting',
            operations: wo.operations.map((o) => {
              const mine = p.reports.filter((r) => r.operationId === o.id);
              const labour = new Map<string, number>();
              for (const r of mine) labour.set(r.operator ?? 'unknown', (labour.get(r.operator ?? 'unknown') ?? 0) + r.laborMinutes);
              return {
                seq: o.seq,
                name: o.name,
                workCenter: o.workCenter,
                equipmentId: o.workCenter,
                state: o.status === 'done' ? 'Completed' : o.status === 'running' ? 'Running' : o.status === 'cancelled' ? 'Aborted' : 'Waiting',
                actualStart: mine[0]?.at,
                actualEnd: o.status === 'done' ? mine[mine.length - 1]?.at : undefined,
                labour: [...labour].filter(([, m]) => m > 0).map(([personId, minutes]) => ({ personId, minutes })),
                machineMinutes: mine.reduce((s, r) => s + r.machineMinutes, 0),
                goodQty: o.goodQty,
                scrapQty: o.scrapQty,
                scrapReason: mine.find((r) => r.scrapReason)?.scrapReason ?? undefined,
              };
            }),
            consumed: p.consumed.map((c) => ({ itemCode: c.itemCode, lotId: c.lot, qty: c.qty, uom: uom(c.itemCode), operationSeq: firstSeq })),
            produced: p.produced.map((l) => ({ lotId: l.lot, qty: l.qty })),
          },
        ],
      });
      return answer(200, xml, XML);
    },
  });

  router.route({
    method: 'POST',
    url: '/api/v1/integration/b2mml',
    permission: 'integration.write',
    summary: 'Accept a ProcessOperationsSchedule from an outside ERP (application/xml); with ?system= also Change/Cancel schedules and ProcessOperationsPerformance, codes translated',
    rawBody: true,
    query: z.object({ system: SystemCode.optional() }),
    handler: async ({ uow, body, query }) => {
      if (query.system) await requireSystem(uow, query.system);
      if (typeof body !== 'string' && !Buffer.isBuffer(body)) throw new AppError('bad_request', 'send the document as application/xml');
      // from a known outside system: XSD-checked, codes translated; also Change/Cancel schedules and performances
      if (query.system) return receiveB2mml(uow, deps, query.system, body);
      let doc;
      try {
        doc = parseOperationsSchedule(typeof body === 'string' ? body : new Uint8Array(body));
      } catch (e) {
        if (isB2mmlError(e)) throw new AppError(e.status === 400 ? 'bad_request' : e.status === 413 ? 'payload_too_large' : 'unprocessable', e.message, { code: e.code, ...(e.details ?? {}) });
        throw e;
      }
      const known = await mesKnownItems(uow, doc.requests.map((r) => r.producedItem));
      const accepted = doc.requests.filter((r) => known.has(r.producedItem));
      if (!accepted.length)
        throw new AppError('unprocessable', 'no OperationsRequest produces a known item', { unknownItems: doc.requests.map((r) => r.producedItem) });
      const made = await createExternalWorkOrders(
        uow,
        accepted.map((r) => ({ externalRef: r.id, externalSystem: null, itemCode: r.producedItem, qty: r.qty, dueDate: r.dueDate?.slice(0, 10) ?? r.end?.slice(0, 10) ?? null })),
      );
      uow.audit({ action: 'receive', entity: 'b2mml_schedule', ref: doc.id, after: { requests: doc.requests.length, accepted: accepted.length } });
      const byRef = new Map(made.map((m) => [m.externalRef, m]));
      const xml = buildAcknowledgeOperationsSchedule({
        id: doc.id,
        createdAt: new Date(),
        original: doc.createdAt ? { createdAt: doc.createdAt, bodId: doc.bodId, sender: doc.sender } : undefined,
        requests: doc.requests.map((r) => {
          const m = byRef.get(r.id);
          return m
            ? { id: r.id, workOrderIds: m.workOrders.map((w) => w.id), status: 'accepted' as const }
            : { id: r.id, workOrderIds: [], status: 'rejected' as const, reason: `unknown item ${r.producedItem}` };
        }),
      });
      return answer(202, xml, XML);
    },
  });
}
