import { z } from 'zod';
import { answer, badRequest, type Router } from '../../platform/index.ts';
import { ENTITY_NAMES } from './entities.ts';
import { exportCsv, exportXlsx } from './export.ts';
import { importSheet } from './import.ts';
import { readCsv, readXlsx } from '../../platform/spreadsheet/index.ts';

const entity = z.object({ entity: z.enum(ENTITY_NAMES as [string, ...string[]]) });

export function transferRoutes(router: Router) {
  router.route({
    method: 'POST',
    url: '/api/v1/erp/import/:entity',
    permission: 'erp.master.write',
    summary: 'Import items, boms, customers, suppliers or stock from CSV or .xlsx (all or nothing)',
    params: entity,
    rawBody: true,
    handler: async ({ params, request, uow }) => {
      const body = request.body as unknown;
      let sheet;
      if (Buffer.isBuffer(body)) sheet = body.subarray(0, 2).toString() === 'PK' ? await readXlsx(body) : readCsv(body.toString('utf8'));
      else if (typeof body === 'string') sheet = readCsv(body);
      else throw badRequest('send text/csv or an .xlsx workbook');
      return importSheet(uow, params.entity as any, sheet);
    },
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
        ? answer(200, await exportXlsx(q, params.entity as any), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        : answer(200, await exportCsv(q, params.entity as any), 'text/csv; charset=utf-8'),
  });
}
