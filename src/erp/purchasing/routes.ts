import { z } from 'zod';
import { asksForPage, type Router } from '../../platform/index.ts';
import { purchaseOrderPage, PurchaseOrderQuery, requisitionPage, RequisitionQuery } from './store.ts';
import { Conversion, convertRequisition, createPurchaseOrder, createRequisition, listPurchaseOrders, listRequisitions, NewPurchaseOrder, NewRequisition, PurchaseReceipt, purchaseOrderOf, receivePurchaseOrder } from './service.ts';

const id = z.object({ id: z.string().min(1) });

export function purchasingRoutes(router: Router) {
  router.route({
    method: 'GET',
    url: '/api/v1/erp/purchase-requisitions',
    permission: 'erp.purchasing.read',
    summary: 'Purchase requisitions (?q= searches id and item; sort=id|-id, limit, offset page)',
    query: RequisitionQuery,
    handler: async ({ q, query }) => (asksForPage(query) ? requisitionPage(q, query) : listRequisitions(q, query)),
  });
  router.route({ method: 'POST', url: '/api/v1/erp/purchase-requisitions', permission: 'erp.purchasing.write', summary: 'Raise a requisition (MRP shortages)', body: NewRequisition, status: 201, handler: async ({ uow, body }) => createRequisition(uow, body) });
  router.route({ method: 'POST', url: '/api/v1/erp/purchase-requisitions/:id/convert', permission: 'erp.purchasing.write', summary: 'Turn a requisition into a purchase order', params: id, body: Conversion, status: 201, handler: async ({ uow, params, body }) => convertRequisition(uow, params.id, body) });
  router.route({ method: 'POST', url: '/api/v1/erp/purchase-orders', permission: 'erp.purchasing.write', summary: 'Create a purchase order', body: NewPurchaseOrder, status: 201, handler: async ({ uow, body }) => createPurchaseOrder(uow, body) });
  router.route({
    method: 'GET',
    url: '/api/v1/erp/purchase-orders',
    permission: 'erp.purchasing.read',
    summary: 'Purchase orders (?q= searches id and supplier; sort=id|-id, limit, offset page)',
    query: PurchaseOrderQuery,
    handler: async ({ q, query }) => (asksForPage(query) ? purchaseOrderPage(q, query) : listPurchaseOrders(q, query)),
  });
  router.route({ method: 'GET', url: '/api/v1/erp/purchase-orders/:id', permission: 'erp.purchasing.read', summary: 'A purchase order', params: id, handler: async ({ q, params }) => purchaseOrderOf(q, params.id) });
  router.route({ method: 'POST', url: '/api/v1/erp/purchase-orders/:id/receipts', permission: 'erp.purchasing.receive', summary: 'Receive goods against a purchase order', params: id, body: PurchaseReceipt, status: 201, handler: async ({ uow, params, body }) => receivePurchaseOrder(uow, params.id, body) });
}
