import { z } from 'zod';
import { notFound, type Router } from '../../platform/index.ts';

interface MessageRow {
  id: string;
  type: string;
  source: string;
  consumers: string[];
  status: string;
  occurred_at: Date;
  delivered_at: Date | null;
  correlation_id: string | null;
  attempts: number;
  last_error: string | null;
  payload?: unknown;
}

const view = (r: MessageRow) => ({
  id: r.id,
  type: r.type,
  from: r.source,
  to: r.consumers.length ? [...new Set(r.consumers.map((c) => c.split('.')[0]))].join(',') : null,
  consumers: r.consumers,
  status: r.status,
  occurredAt: r.occurred_at.toISOString(),
  deliveredAt: r.delivered_at ? r.delivered_at.toISOString() : null,
  latencyMs: r.delivered_at ? r.delivered_at.getTime() - r.occurred_at.getTime() : null,
  correlationId: r.correlation_id,
  attempts: r.attempts,
  lastError: r.last_error,
});

/** The message trace: every message an order caused, with its direction, status and timings. */
export function traceRoutes(router: Router) {
  router.route({
    method: 'GET',
    url: '/api/v1/integration/messages',
    permission: 'integration.read',
    summary: 'Messages by correlation id (a sales order id traces everything the order caused)',
    query: z.strictObject({
      correlationId: z.string().optional(),
      type: z.string().optional(),
      status: z.enum(['pending', 'failed', 'delivered', 'dead']).optional(),
      limit: z.coerce.number().int().min(1).max(5000).default(500),
    }),
    handler: async ({ q, query }) => {
      const rows = await q.query<MessageRow>(
        `select id, type, source, consumers, status, occurred_at, delivered_at, correlation_id, attempts, last_error
           from platform.outbox
          where ($1::text is null or correlation_id = $1) and ($2::text is null or type = $2) and ($3::text is null or status = $3)
          order by seq ${query.correlationId ? 'asc' : 'desc'} limit $4`,
        [query.correlationId ?? null, query.type ?? null, query.status ?? null, query.limit],
      );
      return rows.map(view);
    },
  });

  router.route({
    method: 'GET',
    url: '/api/v1/integration/messages/:id',
    permission: 'integration.read',
    summary: 'One message with its payload',
    params: z.strictObject({ id: z.string().uuid() }),
    handler: async ({ q, params }) => {
      const [r] = await q.query<MessageRow>(
        `select id, type, source, consumers, status, occurred_at, delivered_at, correlation_id, attempts, last_error, payload
           from platform.outbox where id = $1`,
        [params.id],
      );
      if (!r) throw notFound('message', params.id);
      return { ...view(r), payload: r.payload };
    },
  });
}
