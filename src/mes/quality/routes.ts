import { z } from 'zod';
import type { Router, ModuleDeps } from '../../platform/index.ts';
import { scopeParams } from '../../platform/index.ts';
import { inspectSupplierLot } from './incoming.ts';
import { dispositionLot, firstPassYield, getLot, recordInspection } from './service.ts';

export function qualityRoutes(router: Router, deps: ModuleDeps) {
  router.route({
    method: 'POST', url: '/api/v1/mes/inspections', permission: 'mes.quality.write', summary: 'Record an inspection (a fail holds the lot)', status: 201,
    body: z.strictObject({
      /** Absent: an incoming inspection of a supplier lot (`lot` required). */
      workOrder: z.string().min(1).max(100).optional(),
      lot: z.string().min(1).optional(),
      operation: z.string().min(1).optional(),
      result: z.enum(['pass', 'fail']),
      defects: z.array(z.strictObject({ code: z.string().min(1), qty: z.number().finite().min(0) })).optional(),
      measurements: z.array(z.strictObject({ name: z.string().min(1), value: z.number().finite(), min: z.number().finite().optional(), max: z.number().finite().optional() })).optional(),
      note: z.string().max(2000).optional(),
    }).refine((b) => b.workOrder !== undefined || b.lot !== undefined, { message: 'name the work order, or the lot of an incoming inspection' }),
    handler: ({ uow, body }) => (body.workOrder === undefined ? inspectSupplierLot(uow, deps, { ...body, lot: body.lot! }) : recordInspection(uow, deps, { ...body, workOrder: body.workOrder })),
  });
  router.route({
    method: 'POST', url: '/api/v1/mes/lots/:lot/disposition', permission: 'mes.quality.write', summary: 'Release or reject a held lot',
    params: z.object({ lot: z.string().min(1) }),
    body: z.strictObject({ decision: z.enum(['release', 'reject']), note: z.string().optional() }),
    handler: ({ uow, params, body }) => dispositionLot(uow, params.lot, body.decision, body.note),
  });
  router.route({
    method: 'GET', url: '/api/v1/mes/lots/:lot', permission: 'mes.workorders.read', summary: "A lot in the MES's lot view",
    params: z.object({ lot: z.string().min(1) }),
    handler: ({ q, params, actor }) => getLot(q, params.lot, actor),
  });
  router.route({
    method: 'GET', url: '/api/v1/mes/quality/first-pass-yield', permission: 'mes.workorders.read', summary: 'First-pass yield per work centre and item',
    query: z.strictObject({
      from: z.string().datetime({ offset: true }).optional(),
      to: z.string().datetime({ offset: true }).optional(),
      plant: z.string().optional(),
      workCenter: z.string().optional(),
      itemCode: z.string().optional(),
    }),
    handler: ({ q, query, actor }) => firstPassYield(q, { ...query, plants: scopeParams(actor).plants }),
  });
}
