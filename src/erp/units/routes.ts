import { z } from 'zod';
import type { Router } from '../../platform/index.ts';
import { NewUom } from './model.ts';
import { addUom, itemUnits } from './service.ts';

const code = z.object({ code: z.string().min(1).max(64) });

export function unitRoutes(router: Router) {
  router.route({
    method: 'POST',
    url: '/api/v1/erp/items/:code/uoms',
    permission: 'erp.master.write',
    summary: 'Another unit of an item: 1 uom = factor stock units',
    params: code,
    body: NewUom,
    status: 201,
    handler: async ({ params, body, uow }) => addUom(uow, params.code, body),
  });
  router.route({
    method: 'GET',
    url: '/api/v1/erp/items/:code/uoms',
    permission: 'erp.master.read',
    summary: 'The units of an item (its stock unit first)',
    params: code,
    handler: async ({ params, q }) => itemUnits(q, params.code),
  });
}
