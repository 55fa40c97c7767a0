import { z } from 'zod';
import { asksForPage, type Router } from '../../platform/index.ts';
import { orderCost } from '../costing/service.ts';
import { orderJournal } from '../costing/journal.ts';
import { changeImpact } from './impact.ts';
import { LineChange, NewSalesOrder } from './model.ts';
import { approveOrder, cancelOrder, changeLine, createOrder } from './service.ts';
import { shipOrder } from './shipping.ts';
import { SalesOrderQuery, salesOrderPage } from './list.ts';
import { listOrders, orderOf, orderView } from './store.ts';
import { workOrdersOf } from './work-orders.ts';

const id = z.object({ id: z.string().min(1) });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export function salesRoutes(router: Router) {
  router.route({ method: 'POST', url: '/api/v1/erp/sales-orders', permission: 'erp.sales.write', summary: 'Create a sales order (draft)', body: NewSalesOrder, status: 201, handler: async ({ body, uow }) => createOrder(uow, body) });
  router.route({
    method: 'GET',
    url: '/api/v1/erp/sales-orders',
    permission: 'erp.sales.read',
    summary: 'List sales orders (?q= searches id and customer; sort=id|-id|dueDate|-dueDate, limit, offset page)',
    query: SalesOrderQuery,
    handler: async ({ q, query }) => (asksForPage(query) ? salesOrderPage(q, query) : listOrders(q, query)),
  });
  router.route({ method: 'GET', url: '/api/v1/erp/sales-orders/:id', permission: 'erp.sales.read', summary: 'A sales order with its progress', params: id, handler: async ({ q, params }) => orderView(await orderOf(q, params.id)) });
  router.route({ method: 'POST', url: '/api/v1/erp/sales-orders/:id/approve', permission: 'erp.sales.write', summary: 'Approve: release and request production', params: id, handler: async ({ uow, params }) => approveOrder(uow, params.id) });
  router.route({
    method: 'PATCH',
    url: '/api/v1/erp/sales-orders/:id/lines/:lineNo',
    permission: 'erp.sales.write',
    summary: 'Change qty/due date of a line (a change request after release)',
    params: z.object({ id: z.string(), lineNo: z.coerce.number().int().positive() }),
    body: LineChange,
    status: 202,
    handler: async ({ uow, params, body }) => changeLine(uow, params.id, params.lineNo, body),
  });
  router.route({
    method: 'GET',
    url: '/api/v1/erp/sales-orders/:id/change-impact',
    permission: 'erp.sales.read',
    summary: 'What a change of a line would touch, before it is sent',
    params: id,
    query: z.object({ lineNo: z.coerce.number().int().positive(), qty: z.coerce.number().positive().optional(), dueDate: day.optional() }),
    handler: async ({ q, params, query }) => changeImpact(q, params.id, query.lineNo, { qty: query.qty, dueDate: query.dueDate }),
  });
  router.route({ method: 'POST', url: '/api/v1/erp/sales-orders/:id/cancel', permission: 'erp.sales.write', summary: 'Cancel (a request to the MES after release)', params: id, handler: async ({ uow, params }) => cancelOrder(uow, params.id) });
  router.route({ method: 'POST', url: '/api/v1/erp/sales-orders/:id/ship', permission: 'erp.sales.ship', summary: 'Ship available finished goods (FIFO, never held lots)', params: id, handler: async ({ uow, params }) => shipOrder(uow, params.id) });
  router.route({ method: 'GET', url: '/api/v1/erp/sales-orders/:id/work-orders', permission: 'erp.sales.read', summary: "The ERP's projection of the order's work orders", params: id, handler: async ({ q, params }) => (await orderOf(q, params.id)) && workOrdersOf(q, params.id) });
  router.route({ method: 'GET', url: '/api/v1/erp/sales-orders/:id/cost', permission: 'erp.cost.read', summary: 'Standard and actual cost, variance', params: id, handler: async ({ q, params }) => orderCost(q, params.id) });
  router.route({ method: 'GET', url: '/api/v1/erp/sales-orders/:id/journal', permission: 'erp.cost.read', summary: 'Journal entries of the cost flow of an order', params: id, handler: async ({ q, params }) => (await orderOf(q, params.id)) && orderJournal(q, params.id) });
}
