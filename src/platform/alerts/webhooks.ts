import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database, Queryable, UnitOfWork } from '../db/index.ts';
import { notFound } from '../kernel/index.ts';
import { WakeableLoop } from '../background.ts';
import { assertWebhookTarget, checkResolvedTarget } from './webhook-target.ts';

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const SIGNATURE_HEADER = 'x-closeloop-signature';

export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** What a receiver does: recompute the HMAC over the raw body, compare in constant time, refuse stale timestamps. */
export function verifyWebhookSignature(secret: string, body: string, header: string | undefined, toleranceSeconds = 300, now = Date.now()): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface WebhookView {
  id: number;
  url: string;
  kinds: string[];
  active: boolean;
  createdAt: string;
}

/** A row of platform.webhooks. */
interface WebhookRow {
  id: number;
  url: string;
  kinds: string[];
  secret: string;
  active: boolean;
  created_at: Date;
}

export async function createWebhook(uow: UnitOfWork, w: { url: string; kinds: string[] }) {
  assertWebhookTarget(w.url);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const [row] = await uow.query<WebhookRow>('insert into platform.webhooks (url, kinds, secret) values ($1, $2, $3) returning *', [w.url, [...new Set(w.kinds)], secret]);
  const view = toView(row);
  uow.audit({ action: 'create', entity: 'webhook', ref: String(view.id), after: { url: view.url, kinds: view.kinds } });
  return { ...view, secret }; // the secret is shown once
}

export async function listWebhooks(q: Queryable): Promise<WebhookView[]> {
  return (await q.query<WebhookRow>('select * from platform.webhooks order by id')).map(toView);
}

export async function deleteWebhook(uow: UnitOfWork, id: number) {
  const [row] = await uow.query<WebhookRow>('delete from platform.webhooks where id = $1 returning *', [id]);
  if (!row) throw notFound('webhook', id);
  uow.audit({ action: 'delete', entity: 'webhook', ref: String(id), before: { url: row.url, kinds: row.kinds } });
  return { id, deleted: true };
}

const toView = (r: WebhookRow): WebhookView => ({ id: Number(r.id), url: r.url, kinds: r.kinds, active: r.active, createdAt: r.created_at.toISOString() });

/** Queues a delivery to every active webhook that wants the kind, in the caller's transaction. */
export async function queueWebhooks(q: Queryable, event: string, kind: string, payload: unknown) {
  await q.query(
    `insert into platform.webhook_deliveries (webhook_id, event, payload)
     select id, $1, $2 from platform.webhooks where active and ($3::text = any(kinds) or '*' = any(kinds))`,
    [event, JSON.stringify(payload), kind],
  );
}

export interface WebhookDispatcherOptions {
  backoffMs?: number;
  maxAttempts?: number;
  pollMs?: number;
  timeoutMs?: number;
  batch?: number;
  log?: { warn: (o: object, m: string) => void };
}

/**
 * Sends queued deliveries (POST, JSON, signed) with retries and exponential backoff; a delivery
 * that keeps failing ends `dead` with its last error. Claims rows with a lease (skip locked), so
 * several instances share the work; woken after commits, and polls for retries.
 */
export class WebhookDispatcher {
  private readonly o: Required<Omit<WebhookDispatcherOptions, 'log'>> & Pick<WebhookDispatcherOptions, 'log'>;
  private readonly loop: WakeableLoop;

  constructor(
    private readonly db: Database,
    opts: WebhookDispatcherOptions = {},
  ) {
    this.o = { backoffMs: 1_000, maxAttempts: 6, pollMs: 1_000, timeoutMs: 5_000, batch: 20, ...opts };
    this.loop = new WakeableLoop(
      () => this.runOnce(),
      () => this.o.pollMs,
      (e) => this.o.log?.warn({ err: e }, 'webhook pass failed'),
    );
    db.onCommit(() => this.wake());
  }

  configure(opts: Partial<WebhookDispatcherOptions>) {
    Object.assign(this.o, opts);
  }

  start() {
    this.loop.start();
  }

  stop() {
    return this.loop.stop();
  }

  wake() {
    this.loop.wake();
  }

  /** One pass over the due deliveries; returns how many it tried. */
  async runOnce(): Promise<number> {
    const due = await this.db.query<{ id: number; event: string; payload: unknown; attempts: number; url: string; secret: string }>(
      `update platform.webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = now() + ($2::text || ' milliseconds')::interval
         from platform.webhooks w
        where w.id = d.webhook_id and d.id in (
          select id from platform.webhook_deliveries where status = 'pending' and next_attempt_at <= now() order by id limit $1 for update skip locked)
        returning d.id, d.event, d.payload, d.attempts, w.url, w.secret`,
      [this.o.batch, String(this.o.timeoutMs * 2)],
    );
    await Promise.all(due.map((d) => this.deliver(d)));
    return due.length;
  }

  private async deliver(d: { id: number; event: string; payload: unknown; attempts: number; url: string; secret: string }) {
    const body = JSON.stringify({ deliveryId: Number(d.id), event: d.event, data: d.payload });
    let status: number | null = null;
    let error: string | null = null;
    try {
      await checkResolvedTarget(d.url);
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'closeloop-webhooks/1',
          'x-closeloop-event': d.event,
          'x-closeloop-delivery': String(d.id),
          [SIGNATURE_HEADER]: signWebhook(d.secret, body),
        },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
        redirect: 'manual',
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e: unknown) {
      const err = e as { cause?: { code?: string }; message?: string } | undefined; // fetch's TypeError names the socket's code in its cause
      error = String(err?.cause?.code ?? err?.message ?? e);
    }
    if (!error) {
      await this.db.query(`update platform.webhook_deliveries set status = 'delivered', delivered_at = now(), last_status = $2, last_error = null where id = $1`, [d.id, status]);
      return;
    }
    const dead = d.attempts >= this.o.maxAttempts;
    if (dead) this.o.log?.warn({ deliveryId: d.id, url: d.url, error }, 'webhook delivery given up');
    await this.db.query(
      `update platform.webhook_deliveries set status = $2, last_status = $3, last_error = $4,
         next_attempt_at = now() + ($5::text || ' milliseconds')::interval where id = $1`,
      [d.id, dead ? 'dead' : 'pending', status, error, String(this.o.backoffMs * 2 ** (d.attempts - 1))],
    );
  }
}
export { assertWebhookTarget, blockedAddress, checkResolvedTarget } from './webhook-target.ts';
