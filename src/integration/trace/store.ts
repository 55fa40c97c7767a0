import { notFound, type Queryable } from '../../platform/index.ts';

/** A row of platform.outbox as the trace reads it. */
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

export interface MessageFilter {
  correlationId?: string;
  type?: string;
  status?: 'pending' | 'failed' | 'delivered' | 'dead';
  limit: number;
}

/** Messages by correlation (in the order they happened), or the newest by type or status. */
export async function traceMessages(q: Queryable, f: MessageFilter) {
  const rows = await q.query<MessageRow>(
    `select id, type, source, consumers, status, occurred_at, delivered_at, correlation_id, attempts, last_error
       from platform.outbox
      where ($1::text is null or correlation_id = $1) and ($2::text is null or type = $2) and ($3::text is null or status = $3)
      order by seq ${f.correlationId ? 'asc' : 'desc'} limit $4`,
    [f.correlationId ?? null, f.type ?? null, f.status ?? null, f.limit],
  );
  return rows.map(view);
}

/** One message with its payload; 404 when unknown. */
export async function traceMessage(q: Queryable, id: string) {
  const [r] = await q.query<MessageRow>(
    `select id, type, source, consumers, status, occurred_at, delivered_at, correlation_id, attempts, last_error, payload
       from platform.outbox where id = $1`,
    [id],
  );
  if (!r) throw notFound('message', id);
  return { ...view(r), payload: r.payload };
}
