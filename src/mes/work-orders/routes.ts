import { z } from 'zod';
import type { ModuleDeps, Router } from '../../platform/index.ts';
import { PageBounds, scopeParams } from '../../platform/index.ts';
import { cancelWorkOrder, createStockWorkOrders } from './service.ts';
import { findWorkOrders, getWorkOrder, WORK_ORDER_SORTS } from './store.ts';

export function workOrderRoutes(router: Router, deps: ModuleDeps) {
  router.route({
    method: 'GET', url: '/api/v1/mes/work-orders', permission: 'mes.workorders.read', summary: 'Work orders (of a sales order, an external reference, a status; ?q= searches id, item and sales order; sort, limit, offset page)',
    query: z.strictObject({
      salesOrder: z.string().optional(),
      externalRef: z.string().optional(),
      status: z.enum(['released', 'in_progress', 'completed', 'cancelled']).optional(),
      itemCode: z.string().optional(),
      /** `true`: only work still to do (released or in progress) — what a terminal or a board shows. */
      open: z.enum(['true', 'false']).optional(),
      ...PageBounds,
      sort: z.enum(WORK_ORDER_SORTS).optional(),
    }),
    handler: ({ q, query, actor }) => findWorkOrders(q, { ...query, open: query.open === 'true' }, scopeParams(actor)),
  });
  router.route({
    method: 'POST', url: '/api/v1/mes/work-orders', permission: 'mes.master.write', status: 201,
    summary: 'A work order made for stock (no sales order), exploded per BOM level; its finished lot goes into stock',
    body: z.strictObject({
      itemCode: z.string().min(1).max(100),
      qty: z.number().finite().positive().max(1e9),
      dueDate: z.string().date(),
      plant: z.string().min(1).max(100).optional(),
    }),
    handler: async ({ uow, body }) => {
      const made = await createStockWorkOrders(uow, [body], { now: deps.clock.now(), utcOffsetMinutes: deps.config.plantUtcOffsetMinutes });
      return { ...made.find((w) => w.top)!, workOrders: made };
    },
  });
  router.route({
    method: 'GET', url: '/api/v1/mes/work-orders/:id', permission: 'mes.workorders.read', summary: 'A work order with its operations',
    params: z.object({ id: z.string() }),
    handler: ({ q, params, actor }) => getWorkOrder(q, params.id, scopeParams(actor)),
  });
  router.route({
    method: 'POST', url: '/api/v1/mes/work-orders/:id/cancel', permission: 'mes.master.write', summary: 'Cancel a work order not yet completed',
    params: z.object({ id: z.string() }),
    body: z.strictObject({ reason: z.string().optional() }).optional(),
    handler: ({ uow, params, body }) => cancelWorkOrder(uow, params.id, deps.clock.now(), body?.reason ?? 'cancelled by a supervisor'),
  });
}
