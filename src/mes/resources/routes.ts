import { z } from 'zod';
import type { ModuleDeps, Router } from '../../platform/index.ts';
import { scopeParams } from '../../platform/index.ts';
import { PageQuery, pageRows } from './page.ts';
import { createOperator, createPlant, createWorkCenter, getWorkCenter, listOperators, listPlants, listWorkCenters, updateWorkCenter } from './service.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/);
const calendar = z.strictObject({
  shifts: z.array(z.strictObject({ day: z.number().int().min(1).max(7), from: hhmm, to: hhmm })).optional(),
  exceptions: z
    .array(
      z.union([
        z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), kind: z.literal('holiday') }),
        z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), kind: z.literal('extra'), from: hhmm, to: hhmm }),
      ]),
    )
    .optional(),
});
const code = z.string().min(1).max(64);
const rate = z.number().finite().min(0);
const workCenterFields = {
  name: z.string().min(1),
  costPerHour: rate,
  laborCostPerHour: rate.optional(),
  energyCostPerKwh: rate.optional(),
  plant: code.optional(),
  capacity: z.number().int().min(1).max(1000).optional(),
  calendar: calendar.optional(),
  /** An ERP warehouse code: where material for its work is staged (the ERP checks it on a transfer). */
  supplyWarehouse: code.nullable().optional(),
  /** Changeover minutes between setup families (routing operations name theirs), for the scheduler. */
  setupMatrix: z
    .array(z.strictObject({ from: z.string().trim().min(1).max(64), to: z.string().trim().min(1).max(64), minutes: z.number().finite().min(0).max(10_080) }))
    .max(400)
    .nullable()
    .optional(),
};

export function resourceRoutes(router: Router, deps: ModuleDeps) {
  router.route({
    method: 'POST', url: '/api/v1/mes/plants', permission: 'mes.master.write', summary: 'Create a plant', status: 201,
    body: z.strictObject({ code, name: z.string().min(1) }),
    handler: ({ uow, body }) => createPlant(uow, body),
  });
  router.route({
    method: 'GET', url: '/api/v1/mes/plants', permission: 'mes.master.read', summary: 'List plants (?q=&sort=&limit=&offset=)',
    query: PageQuery,
    handler: async ({ q, query }) => pageRows(await listPlants(q), query),
  });
  router.route({
    method: 'POST', url: '/api/v1/mes/work-centers', permission: 'mes.master.write', summary: 'Create a work centre', status: 201,
    body: z.strictObject({ code, ...workCenterFields }),
    handler: ({ uow, body }) => createWorkCenter(uow, deps.config, body),
  });
  router.route({
    method: 'PATCH', url: '/api/v1/mes/work-centers/:code', permission: 'mes.master.write', summary: 'Change a work centre (rates apply to later bookings)',
    params: z.object({ code }),
    body: z.strictObject(workCenterFields).partial(),
    handler: ({ uow, params, body }) => updateWorkCenter(uow, params.code, body),
  });
  router.route({
    method: 'GET', url: '/api/v1/mes/work-centers', permission: 'mes.master.read', summary: 'List work centres (in your scope; ?q=&sort=&limit=&offset=)',
    query: PageQuery,
    handler: async ({ q, actor, query }) => pageRows(await listWorkCenters(q, scopeParams(actor)), query),
  });
  router.route({
    method: 'GET', url: '/api/v1/mes/work-centers/:code', permission: 'mes.master.read', summary: 'A work centre',
    params: z.object({ code }),
    handler: ({ q, params }) => getWorkCenter(q, params.code),
  });
  router.route({
    method: 'POST', url: '/api/v1/mes/operators', permission: 'mes.master.write', summary: 'Create an operator', status: 201,
    body: z.strictObject({ code, name: z.string().min(1), plant: code.optional(), workCenters: z.array(code).optional() }),
    handler: ({ uow, body }) => createOperator(uow, body),
  });
  router.route({
    method: 'GET', url: '/api/v1/mes/operators', permission: 'mes.master.read', summary: 'List operators',
    handler: ({ q }) => listOperators(q),
  });
}
