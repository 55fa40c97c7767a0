import { z } from 'zod';
import type { ModuleDefinition } from '../platform/index.ts';
import { cockpitKpis } from './kpis.ts';

/** The management cockpit: KPIs across ERP and MES (the live stream is the platform's /events). */
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
  },
};
export { cockpitKpis };
