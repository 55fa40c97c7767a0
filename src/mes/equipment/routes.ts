import { z } from 'zod';
import type { ModuleDeps, Router } from '../../platform/index.ts';
import { assertInScope, scopeParams } from '../../platform/index.ts';
import { getWorkCenter } from '../resources/service.ts';
import { listEquipmentEvents, recordEquipmentEvent, workCenterOee } from './service.ts';

const instant = z.string().datetime({ offset: true });

export function equipmentRoutes(router: Router, deps: ModuleDeps) {
  router.route({
    method: 'POST', url: '/api/v1/mes/equipment-events', permission: 'mes.equipment.write', summary: 'A work centre changes state', status: 201,
    body: z.strictObject({ workCenter: z.string().min(1), state: z.enum(['running', 'idle', 'down']), reason: z.string().optional(), at: instant.optional() }),
    handler: ({ uow, body }) => recordEquipmentEvent(uow, deps, body),
  });
  router.route({
    method: 'GET', url: '/api/v1/mes/work-centers/:code/oee', permission: 'mes.workorders.read', summary: 'OEE of a work centre over a window',
    params: z.object({ code: z.string().min(1) }),
    query: z.strictObject({ from: instant.optional(), to: instant.optional() }),
    handler: async ({ q, params, query, actor }) => {
      const wc = await getWorkCenter(q, params.code);
      assertInScope(actor, { workCenter: wc.code, plant: wc.plant }, `work centre ${wc.code}`);
      const r = await workCenterOee(q, deps, wc.code, query);
      return { availability: r.availability, performance: r.performance, quality: r.quality, oee: r.oee, workCenter: r.workCenter, from: r.from, to: r.to, ...r.facts };
    },
  });
  router.route({
    method: 'GET', url: '/api/v1/mes/equipment-events', permission: 'mes.workorders.read', summary: 'Equipment events (in your scope)',
    query: z.strictObject({ workCenter: z.string().optional(), from: instant.optional(), to: instant.optional() }),
    handler: ({ q, query, actor }) => listEquipmentEvents(q, { ...query, ...scopeParams(actor) }),
  });
}
