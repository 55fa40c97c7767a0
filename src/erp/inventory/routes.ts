import { z } from 'zod';
import type { Router } from '../../platform/index.ts';
import { LOT_STATUSES } from './model.ts';
import { adjust, changeLotStatus, issue, receiveInUnits, stockOf } from './service.ts';
import { transfer } from './transfer.ts';
import { stockMoves } from './store.ts';

const qty = z.number().finite().positive().max(1e12);
const code = z.string().trim().min(1).max(64);
const uom = z.string().trim().min(1).max(16).optional();

export function inventoryRoutes(router: Router) {
  router.route({
    method: 'POST',
    url: '/api/v1/erp/inventory/receipts',
    permission: 'erp.inventory.write',
    summary: 'Receive a lot (purchase or opening stock)',
    body: z.strictObject({ itemCode: code, qty, lot: code, supplier: code.optional(), unitCost: z.number().min(0).optional(), warehouse: code.optional(), uom }),
    status: 201,
    handler: async ({ body, uow }) => receiveInUnits(uow, body),
  });
  router.route({
    method: 'POST',
    url: '/api/v1/erp/inventory/issues',
    permission: 'erp.inventory.write',
    summary: 'Issue a lot (to a work order or out of stock); never more than is available',
    body: z.strictObject({ itemCode: code, lot: code, qty, workOrderId: z.string().max(64).optional(), reason: z.string().max(200).optional(), warehouse: code.optional() }),
    status: 201,
    handler: async ({ body, uow }) => issue(uow, { ...body, sync: true }),
  });
  router.route({
    method: 'POST',
    url: '/api/v1/erp/inventory/adjustments',
    permission: 'erp.inventory.write',
    summary: 'A counted difference on a lot (signed quantity)',
    body: z.strictObject({
      itemCode: code, lot: code, qty: z.number().finite().refine((n) => n !== 0, 'not zero'), reason: z.string().min(1).max(200), unitCost: z.number().min(0).optional(), warehouse: code.optional(),
    }),
    status: 201,
    handler: async ({ body, uow }) => adjust(uow, body),
  });
  router.route({
    method: 'POST',
    url: '/api/v1/erp/inventory/transfers',
    permission: 'erp.inventory.write',
    summary: "Move stock of a lot from one warehouse to another (409 for more than it holds there); staging for a work order may leave out `to`: the work order's supply warehouse",
    body: z.strictObject({ itemCode: code, lot: code, qty, from: code, to: code.optional(), workOrderId: z.string().max(64).optional(), reason: z.string().max(200).optional() }),
    status: 201,
    handler: async ({ body, uow }) => transfer(uow, body),
  });
  router.route({
    method: 'POST',
    url: '/api/v1/erp/inventory/:itemCode/lots/:lot/status',
    permission: 'erp.inventory.write',
    summary: 'Hold, release or reject a lot',
    params: z.object({ itemCode: z.string(), lot: z.string() }),
    body: z.strictObject({ status: z.enum(LOT_STATUSES), reason: z.string().min(1).max(200) }),
    handler: async ({ params, body, uow }) => changeLotStatus(uow, params.itemCode, params.lot, body.status, body.reason),
  });
  router.route({
    method: 'GET',
    url: '/api/v1/erp/inventory/:itemCode',
    permission: 'erp.inventory.read',
    summary: 'Stock of an item: on hand, available, on hold, reserved, lots',
    params: z.object({ itemCode: z.string() }),
    handler: async ({ params, q }) => stockOf(q, params.itemCode),
  });
  router.route({
    method: 'GET',
    url: '/api/v1/erp/inventory/:itemCode/moves',
    permission: 'erp.inventory.read',
    summary: 'The stock ledger of an item (optionally one lot)',
    params: z.object({ itemCode: z.string() }),
    query: z.object({ lot: z.string().optional(), limit: z.coerce.number().int().min(1).max(5000).default(500) }),
    handler: async ({ params, query, q }) => stockMoves(q, params.itemCode, query.lot ?? null, query.limit),
  });
}
