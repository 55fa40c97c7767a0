import { z } from 'zod';
import type { ModuleDeps, Router } from '../../platform/index.ts';
import { consumeMaterial } from './service.ts';

const id = z.object({ id: z.string() });

export function materialRoutes(router: Router, deps: ModuleDeps) {
  router.route({
    method: 'POST', url: '/api/v1/mes/work-orders/:id/consume', permission: 'mes.execute', summary: 'Consume material by lot', status: 201,
    params: id,
    body: z.strictObject({ itemCode: z.string().min(1), lot: z.string().min(1), qty: z.number().finite().positive() }),
    handler: ({ uow, params, body }) => consumeMaterial(uow, deps, params.id, body),
  });
}
