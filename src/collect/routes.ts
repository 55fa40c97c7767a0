import { z } from 'zod';
import { forbidden, notFound, type Router } from '../platform/index.ts';
import { writeReadings } from './ingest.ts';
import { validate } from './model.ts';
import type { CollectRuntime } from './runtime.ts';
import { telemetryBetween } from './store.ts';

const BatchItem = z.strictObject({
  workCenter: z.string().min(1).max(100),
  kind: z.string().min(1).max(50),
  payload: z.unknown(),
});

const TelemetryQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
});

export function collectRoutes(router: Router, runtime: () => CollectRuntime) {
  router.route({
    method: 'POST',
    url: '/api/v1/collect/batch',
    permission: 'collect.ingest',
    summary: 'Shop-floor messages over HTTP: the same kinds and payloads as MQTT, answered per item',
    body: z.array(BatchItem).min(1).max(10_000),
    handler: async ({ body, uow, actor }) => {
      const rt = runtime();
      const receivedAt = Date.now();
      const readings = body.map((item) =>
        validate({ source: 'http', workCenter: item.workCenter, kind: item.kind, receivedAt, scope: actor.scope }, item.payload),
      );
      const outcomes = await writeReadings(uow, readings, rt.port, (code) => rt.cache.resolve(uow, code));
      uow.afterCommit(() => rt.pipeline.count(outcomes));
      const accepted = outcomes.filter((o) => o.accepted).length;
      return {
        received: outcomes.length,
        accepted,
        rejected: outcomes.length - accepted,
        results: outcomes.map((o, index) => (o.accepted ? { index, accepted: true } : { index, accepted: false, reason: o.reason })),
      };
    },
  });

  router.route({
    method: 'GET',
    url: '/api/v1/collect/stats',
    permission: 'collect.read',
    summary: 'Shop-floor messages received, accepted and rejected since start',
    handler: async () => {
      const rt = runtime();
      return { ...rt.pipeline.stats, queued: rt.pipeline.depth, broker: rt.brokerMode };
    },
  });

  router.route({
    method: 'GET',
    url: '/api/v1/mes/work-centers/:code/telemetry',
    permission: 'mes.workorders.read',
    summary: "A work centre's telemetry time series (default: the last hour)",
    params: z.strictObject({ code: z.string().min(1) }),
    query: TelemetryQuery,
    handler: async ({ params, query, q, actor }) => {
      const rt = runtime();
      const wc = await rt.port.resolveWorkCenter(q, params.code);
      if (!wc) throw notFound('work centre', params.code);
      const s = actor.scope;
      if ((s?.workCenters?.length && !s.workCenters.includes(wc.code)) || (s?.plants?.length && !s.plants.includes(wc.plant)))
        throw forbidden(`work centre ${wc.code} is outside your scope`);
      const to = query.to ? new Date(query.to) : new Date();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
      return telemetryBetween(q, wc.code, from, to, query.limit);
    },
  });
}
