import { z } from 'zod';
import type { ModuleDeps, Router } from '../../platform/index.ts';
import { moveOperation, reportOperation, startOperation } from './service.ts';

const qty = z.number().finite().min(0);
const id = z.object({ id: z.string() });

export function executionRoutes(router: Router, deps: ModuleDeps) {
  router.route({
    method: 'POST', url: '/api/v1/mes/operations/:id/start', permission: 'mes.execute', summary: 'Start an operation (or join it as another operator)',
    params: id,
    body: z.strictObject({ operator: z.string().min(1).optional() }).optional(),
    handler: ({ uow, params, body }) => startOperation(uow, deps, params.id, body?.operator),
  });
  router.route({
    method: 'POST', url: '/api/v1/mes/operations/:id/pause', permission: 'mes.execute', summary: 'Pause a running operation',
    params: id,
    body: z.strictObject({ reason: z.string().optional() }).optional(),
    handler: ({ uow, params }) => moveOperation(uow, params.id, 'paused'),
  });
  router.route({
    method: 'POST', url: '/api/v1/mes/operations/:id/resume', permission: 'mes.execute', summary: 'Resume a paused operation',
    params: id,
    body: z.strictObject({}).optional(),
    handler: ({ uow, params }) => moveOperation(uow, params.id, 'running'),
  });
  router.route({
    method: 'POST', url: '/api/v1/mes/operations/:id/report', permission: 'mes.execute', summary: 'Report production (good, scrap, time, energy; complete)',
    params: id,
    body: z.strictObject({
      goodQty: qty,
      scrapQty: qty.optional(),
      scrapReason: z.string().min(1).optional(),
      laborMinutes: qty.optional(),
      machineMinutes: qty.optional(),
      energyKwh: qty.optional(),
      complete: z.boolean().optional(),
      operator: z.string().min(1).optional(),
    }),
    handler: ({ uow, params, body }) => reportOperation(uow, deps, params.id, body),
  });
}
