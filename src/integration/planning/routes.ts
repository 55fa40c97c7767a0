import { z } from 'zod';
import { MrpInputError } from '../../planning/index.ts';
import { answer, notFound, unprocessable, type Database, type ModuleDeps, type Router } from '../../platform/index.ts';
import { jobView, PlanningJobs } from './jobs.ts';
import { capableToPromise } from './ctp.ts';
import { REPLANS_SHOWN, replanHistory } from './replan-history.ts';
import { reschedule } from './reschedule.ts';
import { ganttOf, mrpInputs, releasePurchaseSuggestions } from './service.ts';
import { scheduleGate } from './solver.ts';
import { releaseMakeSuggestions } from './release-make.ts';

export function planningRoutes(router: Router, deps: ModuleDeps) {
  const gateOf = () => scheduleGate(deps.db);
  router.route({
    method: 'POST',
    url: '/api/v1/planning/schedule',
    permission: 'planning.write',
    summary:
      'Reschedule open work orders on finite capacity; answers the Gantt per work centre. The solver runs in a worker thread outside any transaction; one schedule at a time (409 while one runs)',
    ownTransactions: true,
    body: z
      .strictObject({
        objective: z.enum(['makespan', 'tardiness']).default('tardiness'),
        timeLimitSeconds: z.number().min(0.05).max(120).default(2),
        frozenHours: z.number().min(0).max(24 * 30).default(0),
        seed: z.number().int().default(1),
      })
      .default({ objective: 'tardiness', timeLimitSeconds: 2, frozenHours: 0, seed: 1 }),
    handler: async ({ body, actor }) => reschedule(deps.db, actor, deps.clock, gateOf(), { ...body, utcOffsetMinutes: deps.config.plantUtcOffsetMinutes }),
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
    url: '/api/v1/planning/replans',
    permission: 'planning.read',
    summary: 'The last automatic replans (after a breakdown, a centre back up, new or changed orders, the daily reschedule): when, why, what moved; ?limit= (1–20, default 20) the newest that many',
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(REPLANS_SHOWN).optional() }),
    handler: async ({ q, query }) => ({ enabled: deps.config.replanOnEvents, replans: await replanHistory(q, query.limit) }),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/planning/ctp',
    permission: 'planning.read',
    summary: 'Capable-to-promise date of a new order, given capacity, stock and purchase lead times',
    query: z.strictObject({ itemCode: z.string().min(1), qty: z.coerce.number().positive() }),
    handler: async ({ q, query }) => capableToPromise(q, deps.clock, query.itemCode, query.qty, deps.config.plantUtcOffsetMinutes),
  });

  const jobsByApp = new WeakMap<Database, PlanningJobs>();
  const jobsOf = () => jobsByApp.get(deps.db) ?? jobsByApp.set(deps.db, new PlanningJobs()).get(deps.db)!;
  // an MRP run in a worker thread fails with the error's name and message, not the error itself
  const asHttpError = (e: unknown) => {
    const err = e as Partial<Error> | null | undefined;
    return e instanceof MrpInputError || err?.name === 'MrpInputError' || err?.name === 'MrpBomCycleError' ? unprocessable(err?.message ?? '') : e;
  };

  router.route({
    method: 'POST',
    url: '/api/v1/planning/mrp',
    permission: 'planning.mrp',
    summary: 'Material requirements planning: planned purchase and make orders pegged to their demand (202 with a job when it takes over a second)',
    body: z
      .strictObject({
        horizonDays: z.number().int().positive().optional(),
        /** Turn purchase suggestions into requisitions (reason "mrp") and alert shortages. */
        createRequisitions: z.boolean().default(false),
        /** Turn make suggestions into make-to-stock work orders in the MES, pegged to their demand. */
        releaseMake: z.boolean().default(false),
      })
      .default({ createRequisitions: false, releaseMake: false }),
    handler: async ({ uow, body }) => {
      const input = await mrpInputs(uow, deps.clock, body.horizonDays);
      const threshold = deps.config.planningJobThresholdMs;
      const large = input.items.length > 2_000 || input.demands.length > 10_000;
      const t0 = performance.now();
      const job = jobsOf().startMrp(input, { inWorker: large || threshold === 0 });
      const finished = await Promise.race([
        job.done.then(() => true, () => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), threshold).unref()),
      ]);
      if (!finished) {
        if (body.createRequisitions || body.releaseMake)
          job.done
            .then((result) =>
              deps.db.unitOfWork({ actor: { kind: 'system', id: `planning:${job.id}`, roles: [] }, module: 'integration' }, async (u) => {
                if (body.releaseMake) await releaseMakeSuggestions(u, result, { now: deps.clock.now(), utcOffsetMinutes: deps.config.plantUtcOffsetMinutes });
                if (body.createRequisitions) await releasePurchaseSuggestions(u, { ...result, today: input.today });
              }),
            )
            .catch((e) => deps.log.error({ err: e, job: job.id }, 'MRP job could not release its requisitions'));
        return answer(202, { job: jobView(job), href: `/api/v1/planning/jobs/${job.id}` });
      }
      let result;
      try {
        result = await job.done;
      } catch (e) {
        throw asHttpError(e);
      }
      const answered = { ...result, elapsedMs: Math.round(performance.now() - t0), today: input.today };
      const made = body.releaseMake ? await releaseMakeSuggestions(uow, result, { now: deps.clock.now(), utcOffsetMinutes: deps.config.plantUtcOffsetMinutes }) : {};
      if (!body.createRequisitions) return { ...answered, ...made };
      return { ...answered, ...made, ...(await releasePurchaseSuggestions(uow, answered)) };
    },
  });

  router.route({
    method: 'GET',
    url: '/api/v1/planning/jobs/:id',
    permission: 'planning.read',
    summary: 'A long planning run: status, progress 0..1, and its result when done',
    params: z.strictObject({ id: z.string().min(1) }),
    handler: async ({ params }) => {
      const job = jobsOf().get(params.id);
      if (!job) throw notFound('planning job', params.id);
      return jobView(job);
    },
  });
}
