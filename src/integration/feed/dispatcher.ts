import { randomUUID } from 'node:crypto';
import { WakeableLoop } from '../../platform/background.ts';
import { raiseAlert, SIGNATURE_HEADER, signWebhook, type Database, type UnitOfWork } from '../../platform/index.ts';
import { backoffMs, FEED_DEAD_LETTER_SOURCE, webhookBody, type FeedType } from './model.ts';
import { postJson } from './post.ts';
import { onFeedAppended, toFeedEvent, wakeFeedDispatchers } from './store.ts';

export interface FeedDispatcherOptions {
  /** First retry delay (doubles per attempt). */
  backoffMs: number;
  /** Attempts before an event becomes a dead letter (the events behind it of its externalRef wait). */
  maxAttempts: number;
  pollMs: number;
  /** Per POST. */
  timeoutMs: number;
  /** Events claimed per pass (all systems), and at most this many per externalRef. */
  batch: number;
  perRef: number;
  /** Chains (one externalRef each) sent side by side in one pass. */
  concurrency: number;
  /**
   * Passes out at once: an event committed while a pass waits on slow receivers is claimed by
   * another pass at once instead of after it (claims lease what they take, so passes never take the
   * same event, and an event is claimed only when everything before it of its externalRef is done).
   */
  passes: number;
  /** A body larger than this is not sent (a dead letter at once). */
  maxBodyBytes: number;
  log?: { warn: (o: object, m: string) => void };
}

interface Claimed {
  system: string;
  cursor: string | number;
  type: FeedType;
  occurred_at: Date;
  external_ref: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  trace_id: string | null;
  webhook_url: string | null;
  webhook_secret: string | null;
}

const actor = { kind: 'system' as const, id: 'feed-webhooks', roles: [] };
/** Claims of several instances on one database take turns (the lease they set makes the next one skip). */
const CLAIM_LOCK = 726_163_001;

/**
 * POSTs each feed event to its system's webhook, signed like alert webhooks, at least once and in
 * order per externalRef: an event is claimed only when every earlier undelivered event of its
 * externalRef is claimed with it (they are then sent one after the other) — a failing or dead event
 * holds the ones behind it. Claims set a lease (`next_attempt_at`), so another instance skips them.
 */
export class FeedDispatcher {
  readonly o: FeedDispatcherOptions;
  private readonly loop: WakeableLoop;
  private unhook: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    opts: Partial<FeedDispatcherOptions> = {},
  ) {
    this.o = { backoffMs: 1_000, maxAttempts: 8, pollMs: 1_000, timeoutMs: 5_000, batch: 500, perRef: 20, concurrency: 32, passes: 4, maxBodyBytes: 256 * 1024, ...opts };
    this.loop = new WakeableLoop(
      () => this.drain(),
      () => this.o.pollMs,
      (e) => this.o.log?.warn({ err: e }, 'feed webhook pass failed'),
      this.o.passes,
    );
  }

  configure(opts: Partial<FeedDispatcherOptions>) {
    Object.assign(this.o, opts);
  }

  start() {
    // woken by appended events and by a replayed dead letter (reopenFeedEvent)
    this.unhook = onFeedAppended(() => this.loop.wake());
    this.loop.start();
  }

  async stop() {
    this.unhook?.();
    await this.loop.stop();
  }

  wake() {
    this.loop.wake();
  }

  /** Passes until one finds nothing due. */
  async drain() {
    while ((await this.runOnce()) > 0);
  }

  /** One pass: claim, send, record. Returns how many events it claimed. */
  async runOnce(): Promise<number> {
    const lease = this.o.timeoutMs * (this.o.perRef + 1);
    const claimed = await this.db.unitOfWork({ actor, module: 'integration' }, async (uow) => {
      await uow.query('select pg_advisory_xact_lock($1)', [CLAIM_LOCK]);
      return uow.query<Claimed>(
        `with open as (
           select system, cursor,
                  bool_and(status = 'pending' and next_attempt_at <= now()) over w as clear,
                  row_number() over w as nth
             from integration.feed where status in ('pending', 'dead')
           window w as (partition by system, coalesce(external_ref, '') order by cursor)),
         picked as (select system, cursor from open where clear and nth <= $2 order by cursor limit $1)
         update integration.feed f set next_attempt_at = now() + ($3::text || ' milliseconds')::interval
           from picked p left join integration.systems s on s.code = p.system
          where f.system = p.system and f.cursor = p.cursor
          returning f.system, f.cursor, f.type, f.occurred_at, f.external_ref, f.payload, f.attempts, f.trace_id, s.webhook_url, s.webhook_secret`,
        [this.o.batch, this.o.perRef, String(lease)],
      );
    });
    if (!claimed.length) return 0;
    const chains = new Map<string, Claimed[]>();
    for (const c of claimed.sort((a, b) => a.system.localeCompare(b.system) || Number(a.cursor) - Number(b.cursor))) {
      const k = `${c.system}\u0000${c.external_ref ?? ''}`;
      (chains.get(k) ?? chains.set(k, []).get(k)!).push(c);
    }
    const delivered: Claimed[] = [];
    const released: Claimed[] = [];
    /** One externalRef's events, one after the other; a failure holds the rest. */
    const sendChain = async (chain: Claimed[]) => {
      for (let i = 0; i < chain.length; i++) {
        const error = await this.send(chain[i]);
        if (!error) {
          delivered.push(chain[i]);
          continue;
        }
        await this.failed(chain[i], error);
        released.push(...chain.slice(i + 1));
        return;
      }
    };
    // a few chains at a time over kept-alive connections (hundreds of new connections at once cost more than they give)
    const queue = [...chains.values()];
    await Promise.all(
      Array.from({ length: Math.min(this.o.concurrency, queue.length) }, async () => {
        for (let chain = queue.shift(); chain; chain = queue.shift()) await sendChain(chain);
      }),
    );
    await this.recordDelivered(delivered);
    if (released.length)
      await this.db.query(
        `update integration.feed f set next_attempt_at = now() from unnest($1::text[], $2::bigint[]) u(system, cursor)
          where f.system = u.system and f.cursor = u.cursor`,
        [released.map((r) => r.system), released.map((r) => r.cursor)],
      );
    return claimed.length;
  }

  /** POSTs one event; returns the error, or null once the receiver answered 2xx. */
  private async send(c: Claimed): Promise<string | null> {
    if (!c.webhook_url || !c.webhook_secret) return null; // the webhook was removed: nothing to send
    const body = webhookBody(c.system, toFeedEvent(c));
    if (Buffer.byteLength(body) > this.o.maxBodyBytes) return `event of ${Buffer.byteLength(body)} bytes is over the ${this.o.maxBodyBytes}-byte limit`;
    try {
      const status = await postJson(
        c.webhook_url,
        {
          'user-agent': 'closeloop-feed/1',
          'x-closeloop-event': c.type,
          'x-closeloop-delivery': `${c.system}:${c.cursor}`,
          [SIGNATURE_HEADER]: signWebhook(c.webhook_secret, body),
        },
        body,
        this.o.timeoutMs,
      );
      return status >= 200 && status < 300 ? null : `HTTP ${status}`;
    } catch (e) {
      const err = e as { code?: string; name?: string; message?: string };
      return String(err.name === 'AbortError' || err.name === 'TimeoutError' ? `no answer within ${this.o.timeoutMs} ms` : (err.code ?? err.message ?? e));
    }
  }

  private async recordDelivered(list: Claimed[]) {
    if (!list.length) return;
    await this.db.query(
      `with d as (
         update integration.feed f set status = 'delivered', delivered_at = now(), attempts = f.attempts + 1, last_error = null
           from unnest($1::text[], $2::bigint[]) u(system, cursor) where f.system = u.system and f.cursor = u.cursor
         returning f.trace_id)
       update platform.outbox o set status = 'delivered', delivered_at = now(), last_error = null from d where o.id = d.trace_id`,
      [list.map((r) => r.system), list.map((r) => r.cursor)],
    );
  }

  /** A failed attempt: back off, or after the last one a dead letter, visible in the trace, with an alert. */
  private async failed(c: Claimed, error: string) {
    const attempts = c.attempts + 1;
    if (attempts < this.o.maxAttempts && !error.includes('-byte limit')) {
      await this.db.query(
        `update integration.feed set attempts = $3, last_error = $4, next_attempt_at = now() + ($5::text || ' milliseconds')::interval
          where system = $1 and cursor = $2`,
        [c.system, c.cursor, attempts, error, String(backoffMs(this.o.backoffMs, attempts))],
      );
      return;
    }
    this.o.log?.warn({ system: c.system, cursor: c.cursor, error }, 'feed webhook delivery given up');
    await this.db.unitOfWork({ actor, module: 'integration' }, (uow) => deadLetterOf(uow, c, attempts, error));
  }
}

async function deadLetterOf(uow: UnitOfWork, c: Claimed, attempts: number, error: string) {
  const traceId = c.trace_id ?? randomUUID();
  const consumer = `webhook:${c.system}`;
  const reason = `webhook ${c.webhook_url}: ${error} after ${attempts} attempts`;
  await uow.query(`update integration.feed set status = 'dead', attempts = $3, last_error = $4, trace_id = $5 where system = $1 and cursor = $2`, [
    c.system, c.cursor, attempts, error, traceId,
  ]);
  // The trace shows it under the externalRef, as the bus shows a message under its sales order.
  await uow.query(
    `insert into platform.outbox (id, type, source, correlation_id, payload, occurred_at, status, attempts, consumers, last_error)
     values ($1, $2, 'integration', $3, $4, $5, 'dead', $6, $7, $8)
     on conflict (id) do update set status = 'dead', attempts = excluded.attempts, last_error = excluded.last_error`,
    [traceId, `feed.${c.type}`, c.external_ref, JSON.stringify({ system: c.system, cursor: Number(c.cursor) }), c.occurred_at, attempts, [consumer], reason],
  );
  await uow.query(`insert into platform.dead_letters (source, message_id, consumer, type, payload, reason) values ($1, $2, $3, $4, $5, $6)`, [
    FEED_DEAD_LETTER_SOURCE, traceId, consumer, c.type, webhookBody(c.system, toFeedEvent(c)), reason,
  ]);
  await raiseAlert(uow, {
    kind: 'integration_failure',
    severity: 'warning',
    ref: `${consumer}/${traceId}`,
    message: `feed event ${c.cursor} (${c.type}) for ${c.system} was not delivered: ${error}`,
    correlationId: c.external_ref,
  });
}

/** A replayed dead letter: its event is due again (and releases the events of its externalRef behind it). */
export async function reopenFeedEvent(uow: UnitOfWork, traceId: string) {
  const rows = await uow.query(
    `update integration.feed set status = 'pending', attempts = 0, next_attempt_at = now(), last_error = null
      where trace_id = $1 and status = 'dead' returning system`,
    [traceId],
  );
  if (rows.length) uow.afterCommit(wakeFeedDispatchers);
  return rows.length > 0;
}
