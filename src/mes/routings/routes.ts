import { z } from 'zod';
import type { ModuleDeps, Router } from '../../platform/index.ts';
import { getRouting, putRouting } from './service.ts';

const minutes = z.number().finite().min(0);

export function routingRoutes(router: Router, deps: ModuleDeps) {
  router.route({
    method: 'PUT', url: '/api/v1/mes/routings/:itemCode', permission: 'mes.master.write', summary: "Set an item's routing (a new version; work orders keep theirs)",
    params: z.object({ itemCode: z.string().min(1) }),
    body: z.strictObject({
      operations: z.array(
        z.strictObject({
          seq: z.number().int().min(0),
          name: z.string().min(1),
          workCenter: z.string().min(1),
          setupMinutes: minutes,
          minutesPerUnit: minutes,
          inspectionRequired: z.boolean().optional(),
          alternatives: z.array(z.string().min(1).max(100)).max(20).optional(),
          setupFamily: z.string().trim().min(1).max(64).nullable().optional(),
        }),
      ).min(1).max(500),
    }),
    handler: ({ uow, params, body }) =>
      putRouting(uow, params.itemCode, body.operations, { now: deps.clock.now(), utcOffsetMinutes: deps.config.plantUtcOffsetMinutes }),
  });
  router.route({
    method: 'GET', url: '/api/v1/mes/routings/:itemCode', permission: 'mes.master.read', summary: "An item's routing (its current version)",
    params: z.object({ itemCode: z.string().min(1) }),
    handler: ({ q, params }) => getRouting(q, params.itemCode),
  });
}
