import { z } from 'zod';
import type { ModuleDefinition } from '../platform/index.ts';
import { platformServices } from '../platform/routes.ts';
import { cockpitBoard } from './board.ts';
import { cockpitKpis } from './kpis.ts';
import { StreamPolicy } from './stream-policy.ts';
import { liveStreamRoute } from './stream.ts';

/** The management cockpit: KPIs across ERP and MES, and the live stream each reader sees. */
export const cockpitModule: ModuleDefinition = {
  name: 'cockpit',
  routes(router, deps) {
    router.route({
      method: 'GET',
      url: '/api/v1/cockpit/kpis',
      permission: 'cockpit.read',
      summary: 'Management KPIs over a window (default: the last 30 days), optionally for one plant',
      query: z.strictObject({ plant: z.string().optional(), from: z.string().datetime({ offset: true }).or(z.string().date()).optional(), to: z.string().datetime({ offset: true }).or(z.string().date()).optional() }),
      handler: async ({ q, query, actor }) => cockpitKpis(q, deps.clock, query, actor),
    });
    router.route({
      method: 'GET',
      url: '/api/v1/cockpit/board',
      permission: 'cockpit.read',
      summary: 'Order lines by delivery state and open work left by work centre (the cockpit charts), optionally for one plant',
      query: z.strictObject({ plant: z.string().max(100).optional() }),
      handler: async ({ q, query, actor }) => cockpitBoard(q, deps.clock, query, actor),
    });
    const platform = platformServices(deps.db);
    if (platform) liveStreamRoute(router, { hub: platform.hub, guard: platform.guard, policy: new StreamPolicy(deps.db) });
  },
};
export { cockpitKpis };
