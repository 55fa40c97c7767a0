import { z } from 'zod';
import type { Router } from '../../platform/index.ts';
import { SystemCode } from '../systems/model.ts';
import { requireSystem } from '../systems/service.ts';
import { systemRows } from '../systems/store.ts';
import { FeedQuery } from './model.ts';
import { feedEvents, feedStatus } from './store.ts';

const SystemParams = z.object({ code: SystemCode });

/** The outbound feed of each outside system (CONTRACT: "Outbound feed"). */
export function feedRoutes(router: Router) {
  router.route({
    method: 'GET',
    url: '/api/v1/integration/systems/:code/feed',
    permission: 'integration.read',
    summary: "A system's business events after a cursor, in order, in its own codes and units",
    params: SystemParams,
    query: FeedQuery,
    handler: async ({ q, params, query }) => {
      await requireSystem(q, params.code);
      const events = await feedEvents(q, params.code, query.after, query.limit);
      return { events, next: events.length ? events[events.length - 1].cursor : query.after };
    },
  });
  router.route({
    method: 'GET',
    url: '/api/v1/integration/systems/:code/feed/status',
    permission: 'integration.read',
    summary: "How far a system's feed is, and how far its webhook is behind",
    params: SystemParams,
    handler: async ({ q, params }) => {
      await requireSystem(q, params.code);
      const [s] = await feedStatus(q, [params.code]);
      return s;
    },
  });
  router.route({
    method: 'GET',
    url: '/api/v1/integration/feed/status',
    permission: 'integration.read',
    summary: "Every system's feed status (the Integration screen's lag column)",
    handler: async ({ q }) => feedStatus(q, (await systemRows(q)).map((s) => s.code)),
  });
}
