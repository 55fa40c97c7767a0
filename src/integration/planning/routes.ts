import { z } from 'zod';
import { MrpInputError } from '../../planning/index.ts';
import { unprocessable, type ModuleDeps, type Router } from '../../platform/index.ts';
import { capableToPromise } from './ctp.ts';
import { ganttOf, planMaterials, releasePurchaseSuggestions, reschedule } from './service.ts';

export function planningRoutes(router: Router, deps: ModuleDeps) {
  router.route({
    method: 'POST',
    url: '/api/v1/planning/schedule',
    permission: 'planning.write',
    summary: 'Reschedule open work orders on finite capacity; answers the Gantt per work centre',
    body: z
      .strictObject({
        objective: z.enum(['makespan', 'tardiness']).default('tardiness'),
        timeLimitSeconds: z.number().min(0.05).max(120).default(2),
        frozenHours: z.number().min(0).max(24 * 30).default(0),
        seed: z.number().int().default(1),
      })
      .default({ objective: 'tardiness', timeLimitSeconds: 2, frozenHours: 0, seed: 1 }),
    handler: async ({ body, uow }) => reschedule(uow, deps.clock, { ...body, utcOffsetMinutes: deps.config.plantUtcOffsetMinutes }),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/planning/schedule',
    permission: 'planning.read',
    summary: 'The current plan: operations of open work orders per work centre',
    handler: async ({ q }) => ganttOf(q),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/planning/ctp',
    permission: 'planning.read',
    summary: 'Capable-to-promise date of a new order, given capacity, stock and purchase lead times',
    query: z.strictObject({ itemCode: z.string().min(1), qty: z.coerce.number().positive() }),
    handler: async ({ q, query }) => capableToPromise(q, deps.clock, query.itemCode, query.qty, deps.config.plantUtcOffsetMinutes),
  });

  router.route({
    method: 'POST',
    url: '/api/v1/planning/mrp',
    permission: 'planning.mrp',
    summary: 'Material requirements planning: planned purchase and make orders pegged to their demand',
    body: z
      .strictObject({
        horizonDays: z.number().int().positive().optional(),
        /** Turn purchase suggestions into requisitions (reason "mrp") and alert shortages. */
        createRequisitions: z.boolean().default(false),
      })
      .default({ createRequisitions: false }),
    handler: async ({ uow, body }) => {
      try {
        const result = await planMaterials(uow, deps.clock, body.horizonDays);
        if (!body.createRequisitions) return result;
        return { ...result, ...(await releasePurchaseSuggestions(uow, result)) };
      } catch (e) {
        if (e instanceof MrpInputError) throw unprocessable(e.message);
        throw e;
      }
    },
  });
}
