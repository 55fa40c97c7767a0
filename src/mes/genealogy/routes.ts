import { z } from 'zod';
import type { Router } from '../../platform/index.ts';
import { scopeParams } from '../../platform/index.ts';
import { traceLot } from './store.ts';

export function genealogyRoutes(router: Router) {
  router.route({
    method: 'GET', url: '/api/v1/trace/lots/:lot', permission: 'trace.read', summary: "A lot's genealogy tree (backward: inputs; forward: uses)",
    params: z.object({ lot: z.string().min(1).max(200) }),
    query: z.strictObject({ direction: z.enum(['backward', 'forward']).default('backward') }),
    handler: ({ q, params, query, actor }) => traceLot(q, params.lot, query.direction, scopeParams(actor)),
  });
}
