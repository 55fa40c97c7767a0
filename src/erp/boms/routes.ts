import { z } from 'zod';
import { notFound, type Router } from '../../platform/index.ts';
import { BomBody } from './model.ts';
import { putBom, rollUpStandardCosts } from './service.ts';
import { bomOf } from './store.ts';

const params = z.object({ itemCode: z.string().min(1) });

export function bomRoutes(router: Router) {
  router.route({
    method: 'PUT',
    url: '/api/v1/erp/boms/:itemCode',
    permission: 'erp.master.write',
    summary: 'A new BOM version of an item (422 on a cycle or an unknown item)',
    params,
    body: BomBody,
    handler: async ({ params, body, uow }) => putBom(uow, params.itemCode, body),
  });
  router.route({
    method: 'GET',
    url: '/api/v1/erp/boms/:itemCode',
    permission: 'erp.master.read',
    summary: 'The BOM in force of an item (or ?version=)',
    params,
    query: z.object({ version: z.coerce.number().int().positive().optional() }),
    handler: async ({ params, query, q }) => {
      const bom = await bomOf(q, params.itemCode, query.version);
      if (!bom) throw notFound('bom', params.itemCode);
      return bom;
    },
  });
  router.route({
    method: 'POST',
    url: '/api/v1/erp/boms/roll-up',
    permission: 'erp.master.write',
    summary: 'Roll up standard costs through every BOM level',
    handler: async ({ uow }) => rollUpStandardCosts(uow),
  });
}
