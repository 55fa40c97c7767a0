import type { ModuleDefinition } from '../platform/index.ts';
import { deadLetterRoutes } from './dead-letters/routes.ts';
import { planningRoutes } from './planning/routes.ts';
import { traceRoutes } from './trace/routes.ts';

/**
 * Integration: the governance of the exchange between ERP and MES (trace, dead letters,
 * reconciliation) and the standard interfaces to outside systems (B2MML V0701).
 */
export const integrationModule: ModuleDefinition = {
  name: 'integration',
  routes(router, deps) {
    traceRoutes(router);
    deadLetterRoutes(router);
    planningRoutes(router, deps);
  },
};
