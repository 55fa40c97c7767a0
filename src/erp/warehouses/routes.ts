import { z } from 'zod';
import type { Router } from '../../platform/index.ts';
import { NewWarehouse } from './model.ts';
import { createWarehouse, listWarehouses, warehouseOf } from './service.ts';

export function warehouseRoutes(router: Router) {
  router.route({
    method: 'POST',
    url: '/api/v1/erp/warehouses',
    permission: 'erp.master.write',
    summary: 'Create a warehouse of a plant (default main)',
    body: NewWarehouse,
    status: 201,
    handler: async ({ body, uow }) => createWarehouse(uow, body),
  });
  router.route({ method: 'GET', url: '/api/v1/erp/warehouses', permission: 'erp.master.read', summary: 'List warehouses', handler: async ({ q }) => listWarehouses(q) });
  router.route({
    method: 'GET',
    url: '/api/v1/erp/warehouses/:code',
    permission: 'erp.master.read',
    summary: 'One warehouse',
    params: z.object({ code: z.string().min(1).max(64) }),
    handler: async ({ q, params }) => warehouseOf(q, params.code),
  });
}
