import { z } from 'zod';
import { answer, badRequest, type Router } from '../../platform/index.ts';
import { readCsv, readXlsx, type Sheet } from '../../platform/spreadsheet/index.ts';
import { ENTITY_NAMES, type Entity } from './entities.ts';
import { exportCsv, exportXlsx } from './export.ts';
import { importSheet } from './import.ts';

const entity = z.object({ entity: z.enum(ENTITY_NAMES as [Entity, ...Entity[]]) });

/** The body as a sheet: parsed and checked (zip bounds, row cap) before any transaction opens. */
async function sheetOf(body: unknown): Promise<Sheet> {
  if (Buffer.isBuffer(body)) return body.subarray(0, 2).toString() === 'PK' ? readXlsx(body) : readCsv(body.toString('utf8'));
  if (typeof body === 'string') return readCsv(body);
  throw badRequest('send text/csv or an .xlsx workbook');
}

const MASTER = ENTITY_NAMES.filter((n) => n !== 'stock') as [Entity, ...Entity[]];

/** Who may import what: master data needs `erp.master.write`, stock `erp.inventory.write` (two routes). */
export function transferRoutes(router: Router) {
  // the static path wins over the parametric one in Fastify's router
  router.route({
    method: 'POST',
    url: '/api/v1/erp/import/stock',
    permission: 'erp.inventory.write',
    summary: 'Import opening stock from CSV or .xlsx (all or nothing)',
    rawBody: true,
    prepare: async ({ request }) => sheetOf(request.body),
    handler: async ({ prepared, uow }) => importSheet(uow, 'stock', prepared as Sheet),
  });

  router.route({
    method: 'POST',
    url: '/api/v1/erp/import/:entity',
    permission: 'erp.master.write',
    summary: 'Import items, boms, customers or suppliers from CSV or .xlsx (all or nothing)',
    params: z.object({ entity: z.enum(MASTER) }),
    rawBody: true,
    prepare: async ({ request }) => sheetOf(request.body),
    handler: async ({ params, prepared, uow }) => importSheet(uow, params.entity, prepared as Sheet),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/erp/export/:entity',
    permission: 'erp.master.read',
    summary: 'Export items, boms, customers, suppliers or stock as CSV (or ?format=xlsx)',
    params: entity,
    query: z.object({ format: z.enum(['csv', 'xlsx']).default('csv') }),
    handler: async ({ params, query, q }) =>
      query.format === 'xlsx'
        ? answer(200, await exportXlsx(q, params.entity), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        : answer(200, await exportCsv(q, params.entity), 'text/csv; charset=utf-8'),
  });
}
