import type { Queryable, UnitOfWork } from '../../platform/index.ts';
import type { FeedEvent, FeedEventInput, FeedType } from './model.ts';

interface FeedRow {
  cursor: number | string;
  type: FeedType;
  occurred_at: Date;
  external_ref: string | null;
  payload: Record<string, unknown>;
}

export const toFeedEvent = (r: FeedRow): FeedEvent => ({
  cursor: Number(r.cursor),
  type: r.type,
  occurredAt: r.occurred_at.toISOString(),
  externalRef: r.external_ref,
  payload: r.payload,
});

/**
 * Told after a commit that appended events: the webhook dispatchers running in this process (tests
 * run several apps; a dispatcher woken for another app's database finds nothing and sleeps again).
 */
const wakers = new Set<() => void>();
export function onFeedAppended(wake: () => void) {
  wakers.add(wake);
  return () => wakers.delete(wake);
}
export const wakeFeedDispatchers = () => {
  for (const w of wakers) w();
};

/**
 * Appends events in the caller's unit of work, in the order given: each system's cursor counter is
 * locked until the commit (systems in code order, so writers never deadlock), so cursors have no
 * gaps and become visible in order. An event is queued for the webhook if its system has one.
 */
export async function appendFeed(uow: UnitOfWork, events: FeedEventInput[]) {
  if (!events.length) return;
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.system, (counts.get(e.system) ?? 0) + 1);
  const systems = [...counts.keys()].sort();
  const tops = await uow.query<{ system: string; last: number | string; hook: boolean }>(
    `with c as (
       insert into integration.feed_cursors as f (system, last) select * from unnest($1::text[], $2::bigint[])
       on conflict (system) do update set last = f.last + excluded.last returning f.system, f.last)
     select c.system, c.last, s.webhook_url is not null as hook from c left join integration.systems s on s.code = c.system`,
    [systems, systems.map((s) => counts.get(s)!)],
  );
  const next = new Map(tops.map((t) => [t.system, Number(t.last) - counts.get(t.system)! + 1]));
  const hook = new Map(tops.map((t) => [t.system, t.hook]));
  const cursors = events.map((e) => {
    const c = next.get(e.system)!;
    next.set(e.system, c + 1);
    return c;
  });
  await uow.query(
    `insert into integration.feed (system, cursor, type, occurred_at, external_ref, payload, message_id, status)
     select u.system, u.cursor, u.type, u.at, u.ref, u.payload::jsonb, u.mid, case when u.hook then 'pending' else 'none' end
       from unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::uuid[], $8::boolean[])
         as u(system, cursor, type, at, ref, payload, mid, hook)`,
    [
      events.map((e) => e.system),
      cursors,
      events.map((e) => e.type),
      events.map((e) => e.occurredAt),
      events.map((e) => e.externalRef),
      events.map((e) => JSON.stringify(e.payload)),
      events.map((e) => e.messageId ?? null),
      events.map((e) => hook.get(e.system) ?? false),
    ],
  );
  // only events queued for a webhook give the dispatchers something to do
  if (events.some((e) => hook.get(e.system))) uow.afterCommit(wakeFeedDispatchers);
}

export async function feedEvents(q: Queryable, system: string, after: number, limit: number): Promise<FeedEvent[]> {
  const rows = await q.query<FeedRow>(
    `select cursor, type, occurred_at, external_ref, payload from integration.feed where system = $1 and cursor > $2 order by cursor limit $3`,
    [system, after, limit],
  );
  return rows.map(toFeedEvent);
}

export interface FeedStatus {
  system: string;
  lastCursor: number;
  delivered: number;
  pending: number;
  failing: number;
  dead: number;
  lagSeconds: number;
  oldestPendingAt: string | null;
}

/** The feed's state per system: how far it is, what waits for the webhook, and how old the oldest waiting event is. */
export async function feedStatus(q: Queryable, systems: string[]): Promise<FeedStatus[]> {
  const rows = await q.query<{ system: string; last: number | string | null; delivered: number; pending: number; failing: number; dead: number; oldest: Date | null; lag: number | null }>(
    `select s.system, c.last,
            (select count(*)::int from integration.feed f where f.system = s.system and f.status = 'delivered') as delivered,
            (select count(*)::int from integration.feed f where f.system = s.system and f.status = 'pending') as pending,
            (select count(*)::int from integration.feed f where f.system = s.system and f.status = 'pending' and f.attempts > 0) as failing,
            (select count(*)::int from integration.feed f where f.system = s.system and f.status = 'dead') as dead,
            o.oldest, extract(epoch from (now() - o.oldest))::float8 as lag
       from unnest($1::text[]) s(system)
       left join integration.feed_cursors c on c.system = s.system
       left join lateral (select min(f.occurred_at) as oldest from integration.feed f where f.system = s.system and f.status in ('pending', 'dead')) o on true`,
    [systems],
  );
  return rows.map((r) => ({
    system: r.system,
    lastCursor: Number(r.last ?? 0),
    delivered: r.delivered,
    pending: r.pending,
    failing: r.failing,
    dead: r.dead,
    lagSeconds: r.lag === null ? 0 : Math.max(0, Math.round(r.lag * 1000) / 1000),
    oldestPendingAt: r.oldest ? r.oldest.toISOString() : null,
  }));
}
