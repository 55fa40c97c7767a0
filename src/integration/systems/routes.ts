import { z } from 'zod';
import type { Router } from '../../platform/index.ts';
import { SystemCode, SystemInput } from './model.ts';
import { getSystem, listSystems, putSystem } from './service.ts';

const SystemParams = z.object({ code: SystemCode });

/** Outside systems (CONTRACT: "Outside systems: connectors and data mapping"). */
export function systemRoutes(router: Router) {
  router.route({
    method: 'PUT',
    url: '/api/v1/integration/systems/:code',
    permission: 'integration.write',
    summary: 'Create or update an outside ERP or MES (its webhook secret is never shown again)',
    params: SystemParams,
    body: SystemInput,
    handler: async ({ uow, params, body }) => putSystem(uow, params.code, body),
  });
  router.route({
    method: 'GET',
    url: '/api/v1/integration/systems',
    permission: 'integration.read',
    summary: 'Outside systems',
    handler: async ({ q }) => listSystems(q),
  });
  router.route({
    method: 'GET',
    url: '/api/v1/integration/systems/:code',
    permission: 'integration.read',
    summary: 'One outside system',
    params: SystemParams,
    handler: async ({ q, params }) => getSystem(q, params.code),
  });
}
