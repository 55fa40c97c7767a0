import { fileURLToPath } from 'node:url';
import type { Database, ModuleDefinition } from '../platform/index.ts';
import { b2mmlRoutes } from './b2mml/routes.ts';
import { deadLetterRoutes } from './dead-letters/routes.ts';
import { FeedDispatcher } from './feed/dispatcher.ts';
import { FEED_CONSUMER, FEED_MESSAGE_TYPES, onMesFacts } from './feed/handlers.ts';
import { feedRoutes } from './feed/routes.ts';
import { replannerOf, REPLAN_TRIGGERS, stopReplanner } from './planning/replan.ts';
import { planningRoutes } from './planning/routes.ts';
import { reconcileRoutes } from './reconcile/routes.ts';
import { ReconciliationSchedule } from './reconcile/service.ts';
import { mappingRoutes } from './systems/mapping-routes.ts';
import { systemRoutes } from './systems/routes.ts';
import { traceRoutes } from './trace/routes.ts';

/** One schedule per running app (tests run several apps in one process). */
const schedules = new WeakMap<Database, ReconciliationSchedule>();
const dispatchers = new WeakMap<Database, FeedDispatcher>();

/** The feed's webhook dispatcher of the app on this database (tests shorten its backoff). */
export const feedDispatcherOf = (db: Database) => dispatchers.get(db);

/**
 * Integration: the governance of the exchange between ERP and MES (trace, dead letters,
 * reconciliation) and the standard interfaces to outside systems (B2MML V0701).
 */
export const integrationModule: ModuleDefinition = {
  name: 'integration',
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes(router, deps) {
    traceRoutes(router);
    deadLetterRoutes(router);
    planningRoutes(router, deps);
    reconcileRoutes(router);
    b2mmlRoutes(router, deps);
    systemRoutes(router);
    mappingRoutes(router, deps);
    feedRoutes(router);
  },
  subscribe(subs, deps) {
    // The outbound feed: what the MES says about work of an outside system, in its codes.
    subs.subscribeBatch('integration', FEED_CONSUMER, FEED_MESSAGE_TYPES, onMesFacts);
    // replanning when the floor changes (a long breakdown, new or changed orders): src/integration/planning/replan.ts
    if (deps.config.replanOnEvents) subs.subscribe('integration', 'integration.replan', REPLAN_TRIGGERS, (msg, uow) => replannerOf(deps).handle(msg, uow));
  },
  async start(deps) {
    const schedule = new ReconciliationSchedule(deps.db, deps.config.reconcileEveryMinutes * 60_000);
    schedules.set(deps.db, schedule);
    schedule.start();
    const feed = new FeedDispatcher(deps.db, { log: deps.log });
    dispatchers.set(deps.db, feed);
    feed.start();
    await replannerOf(deps).resume();
  },
  async stop(deps) {
    schedules.get(deps.db)?.stop();
    schedules.delete(deps.db);
    await dispatchers.get(deps.db)?.stop();
    dispatchers.delete(deps.db);
    await stopReplanner(deps.db);
  },
};
