import type { Database, UnitOfWork } from '../db/index.ts';
import type { BusTransport, Message, Subscription, Subscriptions } from './bus.ts';
import { messageOf } from '../kernel/index.ts';
import { deadLetter, handleInOne, pgArray, recordFailure } from './consume.ts';

export interface RelayOptions {
  /** Attempts before a message goes to dead letters. */
  maxAttempts?: number;
  /** First retry delay; doubles with each attempt. */
  backoffMs?: number;
  /** Safety poll when nothing woke the relay (other instances, missed wake-ups). */
  pollMs?: number;
  batchSize?: number;
  /** Runs in the dead letter's own unit of work (the alert commits with it). */
  onDeadLetter?: (uow: UnitOfWork, msg: Message, consumer: string, reason: string) => Promise<void>;
  /** Told of every delivered message (the live event stream). */
  onDelivered?: (msgs: Message[]) => void;
  log?: { warn: (o: object, m: string) => void; error: (o: object, m: string) => void };
}

interface OutboxRow {
  seq: number;
  id: string;
  type: string;
  source: string;
  correlation_id: string | null;
  payload: unknown;
  occurred_at: Date;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
}

/**
 * The in-process transport of the bus (ADR 0003): delivers committed outbox rows to the subscribed
 * consumers, each in its own unit of work together with its inbox row.
 * - at-least-once: a row stays open until every consumer has handled it;
 * - ordering per correlation id: a message waits while an earlier one of its correlation is open;
 * - a consumer's messages of one pass are handled in one transaction; if any fails the batch is
 *   rolled back and handled one by one, so one bad message costs only itself;
 * - retries with exponential backoff, then a dead letter with the reason.
 */
export class Relay implements BusTransport {
  readonly kind = 'memory' as const;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly opts: Required<Omit<RelayOptions, 'onDeadLetter' | 'onDelivered' | 'log'>> & RelayOptions;
  delivered = 0;

  constructor(
    private readonly db: Database,
    private readonly subs: Subscriptions,
    opts: RelayOptions = {},
  ) {
    this.opts = { maxAttempts: 5, backoffMs: 200, pollMs: 500, batchSize: 500, ...opts };
    db.onCommit(() => this.wake());
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  /** Stops after the pass under way (graceful shutdown drains through `drain()` first). */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  get isRunning() {
    return !this.stopped;
  }

  wake() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.loop().finally(() => {
      this.running = null;
      if (!this.stopped) this.timer = setTimeout(() => this.wake(), this.again ? 0 : this.opts.pollMs);
      this.again = false;
    });
  }

  /**
   * Delivers until no message is open, retries included (tests, shutdown); gives up after maxMs.
   * Returns how many are still open.
   */
  async drain(maxMs = 10_000): Promise<number> {
    const until = Date.now() + maxMs;
    for (;;) {
      await this.running;
      const n = await this.pass();
      if (n > 0) continue;
      const [{ open }] = await this.db.query<{ open: number }>(
        `select count(*)::int as open from platform.outbox where status in ('pending','failed')`,
      );
      if (open === 0 || Date.now() >= until) return open;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private async loop() {
    try {
      while (!this.stopped) {
        const n = await this.pass();
        if (n === 0 && !this.again) break;
        this.again = false;
      }
    } catch (e) {
      this.opts.log?.error({ err: e }, 'relay pass failed');
    }
  }

  private passing: Promise<unknown> = Promise.resolve();

  /**
   * One pass over the open head of the outbox; returns how many messages reached a final state.
   * Passes never overlap (the loop, `drain()` and tests may all ask for one).
   */
  pass(): Promise<number> {
    const next = this.passing.then(() => this.passOnce());
    this.passing = next.catch(() => undefined);
    return next;
  }

  private async passOnce(): Promise<number> {
    const rows = await this.db.query<OutboxRow>(
      `select seq, id, type, source, correlation_id, payload, occurred_at, status, attempts, next_attempt_at
         from platform.outbox where status in ('pending','failed') order by seq limit $1`,
      [this.opts.batchSize],
    );
    if (!rows.length) return 0;
    const now = Date.now();
    const blocked = new Set<string>();
    const due: OutboxRow[] = [];
    for (const r of rows) {
      const key = r.correlation_id;
      if (key !== null && blocked.has(key)) continue;
      if (r.next_attempt_at && r.next_attempt_at.getTime() > now) {
        if (key !== null) blocked.add(key);
        continue;
      }
      due.push(r);
    }
    if (!due.length) return 0;

    const messages = due.map(toMessage);
    const failures = new Map<string, { consumer: string; reason: string; waiting?: boolean }>();
    const consumersOf = new Map<string, string[]>();
    const bySub = new Map<Subscription, Message[]>();
    for (const m of messages) {
      const subs = this.subs.for(m.type);
      consumersOf.set(m.id, subs.map((s) => s.consumer));
      for (const s of subs) {
        const list = bySub.get(s) ?? [];
        list.push(m);
        bySub.set(s, list);
      }
    }
    // Consumers are independent (own inbox, own transaction, order kept within each): deliver to them side by side.
    const outcomes = await Promise.all([...bySub].map(([sub, list]) => this.deliverTo(sub, list).then((fs) => ({ sub, fs }))));
    for (const { sub, fs } of outcomes) {
      for (const f of fs) {
        if (!failures.get(f.messageId) || failures.get(f.messageId)?.waiting)
          failures.set(f.messageId, { consumer: sub.consumer, reason: f.reason, waiting: f.waiting });
      }
    }

    const delivered: Message[] = [];
    const failed: { m: Message; row: OutboxRow; consumer: string; reason: string }[] = [];
    due.forEach((row, i) => {
      const m = messages[i];
      const f = failures.get(m.id);
      if (!f) delivered.push(m);
      else if (!f.waiting) failed.push({ m, row, ...f });
      // waiting behind an earlier message of its correlation: stays open, no attempt counted
    });
    if (delivered.length) {
      await this.db.query(
        `update platform.outbox o set status = 'delivered', delivered_at = now(), consumers = c.consumers::text[], last_error = null
           from (select unnest($1::uuid[]) as id, unnest($2::text[]) as consumers) c where o.id = c.id`,
        [delivered.map((m) => m.id), delivered.map((m) => pgArray(consumersOf.get(m.id) ?? []))],
      );
      this.delivered += delivered.length;
      this.opts.onDelivered?.(delivered);
    }
    for (const f of failed) {
      const attempts = f.row.attempts + 1;
      if (attempts >= this.opts.maxAttempts) {
        await deadLetter(this.db, f.m, f.consumer, f.reason, attempts, consumersOf.get(f.m.id) ?? [], this.opts.onDeadLetter);
        this.opts.log?.warn({ messageId: f.m.id, type: f.m.type, consumer: f.consumer, reason: f.reason }, 'message dead-lettered');
      } else {
        await recordFailure(this.db, f.m.id, attempts, f.reason, this.opts.backoffMs * 2 ** (attempts - 1));
      }
    }
    return delivered.length + failed.length;
  }

  /**
   * Hands a consumer its messages in order. Returns the failures; messages after a failure of
   * the same correlation are left for a later pass (ordering), without counting an attempt.
   */
  private async deliverTo(
    sub: Subscription,
    list: Message[],
  ): Promise<{ messageId: string; reason: string; waiting?: boolean }[]> {
    try {
      await this.handleInOne(sub, list);
      return [];
    } catch {
      // One of them failed: find which, one transaction each.
    }
    const failures: { messageId: string; reason: string; waiting?: boolean }[] = [];
    const blocked = new Set<string>();
    for (const m of list) {
      if (m.correlationId !== null && blocked.has(m.correlationId)) {
        failures.push({ messageId: m.id, reason: 'waiting for an earlier message of its correlation', waiting: true });
        continue;
      }
      try {
        await this.handleInOne(sub, [m]);
      } catch (e: unknown) {
        failures.push({ messageId: m.id, reason: messageOf(e) });
        if (m.correlationId !== null) blocked.add(m.correlationId);
      }
    }
    return failures;
  }

  private handleInOne(sub: Subscription, list: Message[]) {
    return handleInOne(this.db, sub, list);
  }
}

function toMessage(r: OutboxRow): Message {
  return {
    id: r.id,
    seq: Number(r.seq),
    type: r.type,
    source: r.source,
    correlationId: r.correlation_id,
    payload: r.payload,
    occurredAt: r.occurred_at,
  };
}
