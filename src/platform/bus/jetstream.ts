import { AckPolicy, connect, DeliverPolicy, Events, JSONCodec, nanos, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type JsMsg, type NatsConnection } from 'nats';
import { WakeableLoop } from '../background.ts';
import type { Database, UnitOfWork } from '../db/index.ts';
import type { BusTransport, Message, Subscription, Subscriptions } from './bus.ts';
import { deadLetter, handleInOne, pgArray, recordFailure } from './consume.ts';
import type { RelayOptions } from './relay.ts';

export interface JetStreamOptions extends RelayOptions {
  url: string;
  /**
   * A message published this long ago and still not delivered is published again (the stream
   * lost it, or it was purged): consumers that had it skip it through their inbox. Default 2 min.
   */
  republishAfterMs?: number;
  /** Stream name; subjects are `<stream lower-case>.msg.<type>`. */
  stream?: string;
  /**
   * A message an instance took and has not acknowledged within this is offered to another (the
   * instance died). While a batch is handled its messages are reported in progress, so a long
   * handler keeps them. Default 5 s.
   */
  ackWaitMs?: number;
}

interface Wire {
  id: string;
  seq: number;
  type: string;
  source: string;
  correlationId: string | null;
  payload: unknown;
  occurredAt: string;
}

const codec = JSONCodec<Wire>();
const wires = JSONCodec<Wire[]>();
/** JetStream consumer names allow letters, digits, `-` and `_`. */
const durableName = (consumer: string) => `closeloop-${consumer.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/**
 * The bus over NATS JetStream (ADR 0006), for several app instances on one PostgreSQL database.
 * - The outbox stays the source of truth and the message trace. A publisher (one instance at a
 *   time, by an advisory lock) publishes committed rows in sequence order to the stream, with the
 *   outbox id as the message id so a publish repeated after a crash is dropped by JetStream.
 * - Each subscription is a durable pull consumer shared by all instances; a fetched batch is
 *   handled in one unit of work with its inbox rows, exactly as the in-process relay does, and
 *   acknowledged after the commit. If the batch fails, its messages are handled one by one.
 * - Order per correlation id holds across instances: a message whose correlation has an earlier
 *   message for this consumer still open waits (negative acknowledgement with a delay).
 * - A failing message is retried with exponential backoff (nak with delay); after `maxAttempts` it
 *   is dead-lettered like in the relay and terminated in JetStream. A replay reopens the outbox row
 *   and the publisher sends it again under a new message id.
 */
export class JetStreamTransport implements BusTransport {
  readonly kind = 'nats' as const;
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private stopped = true;
  private readonly publisher: WakeableLoop;
  private readonly consumers: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();
  private readonly opts: Required<Pick<JetStreamOptions, 'maxAttempts' | 'backoffMs' | 'pollMs' | 'batchSize' | 'stream' | 'republishAfterMs' | 'ackWaitMs'>> & JetStreamOptions;
  private readonly subject: string;
  /** Core NATS (not stored): delivered messages, for every instance's live stream. */
  private readonly deliveredSubject: string;
  delivered = 0;
  private sweptAt = 0;
  /** Reconnections so far, and up to which one every open row was published again after it. */
  private reconnects = 0;
  private sweptReconnects = 0;

  constructor(
    private readonly db: Database,
    private readonly subs: Subscriptions,
    opts: JetStreamOptions,
  ) {
    this.opts = { maxAttempts: 5, backoffMs: 200, pollMs: 500, batchSize: 500, stream: 'CLOSELOOP', republishAfterMs: 120_000, ackWaitMs: 5_000, ...opts };
    this.subject = `${this.opts.stream.toLowerCase()}.msg`;
    this.deliveredSubject = `${this.opts.stream.toLowerCase()}.delivered`;
    this.publisher = new WakeableLoop(
      () => this.publishAll(),
      () => this.opts.pollMs,
      (e) => this.opts.log?.error({ err: e }, 'outbox publisher failed'),
    );
    db.onCommit(() => this.publisher.wake());
  }

  get isRunning() {
    return !this.stopped;
  }

  async start() {
    if (!this.stopped) return;
    const nc = await connect({ servers: this.opts.url, name: 'closeloop' }).catch((e: any) => {
      throw new Error(`NATS_URL ${this.opts.url}: cannot connect (${e?.code ?? e?.message ?? e})`);
    });
    this.nc = nc;
    const jsm = await nc.jetstreamManager().catch(async (e: any) => {
      await nc.close();
      throw new Error(`NATS_URL ${this.opts.url}: JetStream is not available (${e?.message ?? e}); start nats-server with -js`);
    });
    try {
      await this.ensureStreamAndConsumers(jsm);
    } catch (e: any) {
      await nc.close();
      throw new Error(`NATS_URL ${this.opts.url}: cannot set up stream ${this.opts.stream} (${e?.message ?? e})`);
    }
    this.js = nc.jetstream();
    nc.subscribe(this.deliveredSubject, {
      callback: (err, m) => {
        if (!err) this.opts.onDelivered?.(wires.decode(m.data).map(toMessage));
      },
    });
    void this.watchReconnects(nc);
    this.stopped = false;
    this.publisher.start();
    for (const sub of this.subs.all()) this.consumers.push(this.consume(sub));
  }

  /**
   * A nats-server killed and started again on its store may have lost the messages it acknowledged
   * just before (JetStream writes its file store behind the acknowledgement). Those stay open in
   * the outbox and, with one correlation, hold every later message of it back until the sweep
   * (republishAfterMs) finds them: so after a reconnect every open row is published again at once
   * (under a new message id; consumers that had it skip it through their inbox).
   */
  private async watchReconnects(nc: NatsConnection) {
    for await (const s of nc.status()) {
      if (s.type !== Events.Reconnect) continue;
      this.reconnects++;
      this.opts.log?.warn({ server: s.data }, 'NATS connection back; open outbox messages are published again');
      this.publisher.wake();
    }
  }

  /** The stream, and a durable consumer per subscription; what exists is kept. */
  private async ensureStreamAndConsumers(jsm: JetStreamManager) {
    try {
      await jsm.streams.info(this.opts.stream);
    } catch {
      // the outbox is the record; the stream only carries messages until every consumer has them
      await jsm.streams.add({
        name: this.opts.stream,
        subjects: [`${this.subject}.>`],
        storage: StorageType.File,
        retention: RetentionPolicy.Interest,
        max_age: nanos(7 * 24 * 3600_000),
        duplicate_window: nanos(2 * 60_000),
      });
    }
    for (const sub of this.subs.all()) {
      const durable = durableName(sub.consumer);
      const ackWait = nanos(this.opts.ackWaitMs);
      let existing: Awaited<ReturnType<JetStreamManager['consumers']['info']>> | null = null;
      try {
        existing = await jsm.consumers.info(this.opts.stream, durable);
      } catch {
        existing = null;
      }
      if (existing) {
        // a consumer made before (a longer ack wait): what a dead instance held comes back sooner
        if (existing.config.ack_wait !== ackWait) await jsm.consumers.update(this.opts.stream, durable, { ack_wait: ackWait });
      } else {
        await jsm.consumers.add(this.opts.stream, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          // from now on, as a consumer added to the relay sees only what is still to come
          deliver_policy: DeliverPolicy.New,
          ack_wait: ackWait,
          max_ack_pending: this.opts.batchSize * 2,
          filter_subject: `${this.subject}.>`,
        });
      }
    }
  }

  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    await this.publisher.stop();
    for (const w of this.wakers) w();
    this.wakers.clear();
    await Promise.all(this.consumers.splice(0));
    await this.nc?.drain().catch(() => undefined);
    this.nc = null;
    this.js = null;
  }

  async drain(maxMs = 10_000): Promise<number> {
    const until = Date.now() + maxMs;
    for (;;) {
      this.publisher.wake();
      const [{ open }] = await this.db.query<{ open: number }>(`select count(*)::int as open from platform.outbox where status in ('pending','failed')`);
      if (open === 0 || Date.now() >= until) return open;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Publishes the open, unpublished head of the outbox, in sequence order, until none is left. */
  private async publishAll() {
    while (!this.stopped && (await this.publishBatch()) > 0);
  }

  private async publishBatch(): Promise<number> {
    const reconnects = this.reconnects;
    const republishAll = reconnects > this.sweptReconnects;
    const { published, unheard, swept } = await this.db.engine.transaction(async (conn) => {
      const none = { published: 0, unheard: [] as Wire[], swept: false };
      // one publisher at a time across instances: stream order is outbox order
      const [{ mine }] = await conn.query<{ mine: boolean }>(`select pg_try_advisory_xact_lock(hashtext('closeloop.outbox-publisher')) as mine`);
      if (!mine) return none;
      // nothing lost: what was published long ago and is still open goes out again (looked for now
      // and then, not on every commit's pass)
      if (republishAll) {
        this.sweptAt = Date.now();
        await conn.query(`update platform.outbox set published_at = null where status in ('pending', 'failed') and published_at is not null`);
      } else if (Date.now() - this.sweptAt >= this.opts.republishAfterMs / 4) {
        this.sweptAt = Date.now();
        await conn.query(
          `update platform.outbox set published_at = null
            where status in ('pending', 'failed') and published_at < now() - ($1::text || ' milliseconds')::interval`,
          [String(this.opts.republishAfterMs)],
        );
      }
      const rows = await conn.query(
        `select seq, id, type, source, correlation_id, payload, occurred_at, publications from platform.outbox
          where status in ('pending', 'failed') and published_at is null order by seq limit $1`,
        [this.opts.batchSize],
      );
      if (!rows.length || !this.js) return { ...none, swept: republishAll };
      const js = this.js;
      const out = rows.map((r) =>
        toWire({ id: r.id, seq: Number(r.seq), type: r.type, source: r.source, correlationId: r.correlation_id, payload: r.payload, occurredAt: new Date(r.occurred_at) }),
      );
      // published in order on one connection; the acknowledgements are awaited together
      await Promise.all(rows.map((r, i) => js.publish(`${this.subject}.${r.type}`, codec.encode(out[i]), { msgID: `${r.id}.${r.publications}` })));
      await conn.query(`update platform.outbox set published_at = now(), publications = publications + 1 where id = any($1::uuid[])`, [rows.map((r) => r.id)]);
      // a message no one subscribes to (an alert raised, for the live stream) is delivered once published, as the relay does
      const unheard = out.filter((w) => !this.subs.for(w.type).length);
      if (unheard.length)
        await conn.query(`update platform.outbox set status = 'delivered', delivered_at = now(), consumers = '{}' where id = any($1::uuid[])`, [unheard.map((w) => w.id)]);
      return { published: rows.length, unheard, swept: republishAll };
    });
    if (swept) this.sweptReconnects = reconnects;
    if (unheard.length) this.nc?.publish(this.deliveredSubject, wires.encode(unheard));
    return published;
  }

  /**
   * One subscription's loop. JetStream pushes messages into a buffer as they arrive (a pull
   * consumer with flow control); the loop handles whatever has gathered, up to a batch, then
   * acknowledges. Nothing waits for a batch to fill: one message is handled at once.
   */
  private async consume(sub: Subscription) {
    // a lost consumer (deleted, the server away at the wrong moment) is looked up again
    while (!this.stopped) {
      try {
        await this.consumeOnce(sub);
      } catch (e) {
        if (this.stopped) break;
        this.opts.log?.error({ err: e, consumer: sub.consumer }, 'jetstream consumer lost; setting it up again');
        await new Promise((r) => setTimeout(r, this.opts.pollMs));
        // the stream or the consumer was deleted: make them again (what the stream lost is republished, see republishAfterMs)
        if (this.nc && !this.stopped) await this.ensureStreamAndConsumers(await this.nc.jetstreamManager()).catch(() => undefined);
      }
    }
  }

  private async consumeOnce(sub: Subscription) {
    const consumer = await this.js!.consumers.get(this.opts.stream, durableName(sub.consumer));
    const buffer: JsMsg[] = [];
    let wake: (() => void) | null = null;
    const messages = await consumer.consume({
      max_messages: this.opts.batchSize,
      abort_on_missing_resource: true,
      callback: (m) => {
        buffer.push(m);
        wake?.();
      },
    });
    let lost: unknown = null;
    void messages.closed().then((err) => {
      lost = err ?? new Error('consumer closed');
      wake?.();
    });
    this.wakers.add(() => wake?.());
    // messages taken and not yet acknowledged are reported in progress, so the ack wait stays short
    let handling: JsMsg[] = [];
    const heartbeat = setInterval(() => {
      for (const m of buffer) m.working();
      for (const m of handling) m.working();
    }, Math.max(200, this.opts.ackWaitMs / 3));
    try {
      while (!this.stopped) {
        if (lost && !buffer.length) throw lost;
        if (!buffer.length) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.opts.pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
          continue;
        }
        const batch = buffer.splice(0, this.opts.batchSize);
        handling = batch;
        try {
          await this.handle(sub, batch);
        } catch (e) {
          // the database is unreachable or similar: let JetStream offer them again shortly
          for (const m of batch) m.nak(this.opts.pollMs);
          this.opts.log?.error({ err: e, consumer: sub.consumer }, 'jetstream consumer failed');
        } finally {
          handling = [];
        }
      }
    } finally {
      clearInterval(heartbeat);
      await messages.close();
      for (const m of buffer.splice(0)) m.nak(); // not handled here: offered to another instance at once
    }
  }

  private async handle(sub: Subscription, batch: JsMsg[]) {
    const all = batch.map((raw) => ({ raw, m: toMessage(codec.decode(raw.data)) }));
    // not for this consumer (one filter subject for all types on NATS 2.9): nothing to do
    for (const x of all.filter((x) => !sub.types.has(x.m.type))) x.raw.ack();
    // redeliveries may come after newer messages: handle in outbox order
    const mine = all.filter((x) => sub.types.has(x.m.type)).sort((a, b) => a.m.seq - b.m.seq);
    if (!mine.length) return;
    const waiting = await this.waitingOnEarlier(sub, mine.map((x) => x.m));
    const ready = mine.filter((x) => !waiting.has(x.m.id));
    for (const x of mine.filter((x) => waiting.has(x.m.id))) x.raw.nak(this.opts.backoffMs);
    if (!ready.length) return;
    try {
      await handleInOne(this.db, sub, ready.map((x) => x.m), (uow, handled) => this.recordDelivery(uow, sub, handled));
      for (const x of ready) x.raw.ack();
      this.done(ready.map((x) => x.m));
      return;
    } catch {
      // one of them failed: find which, one transaction each
    }
    const blocked = new Set<string>();
    for (const { raw, m } of ready) {
      if (m.correlationId !== null && blocked.has(m.correlationId)) {
        raw.nak(this.opts.backoffMs);
        continue;
      }
      try {
        await handleInOne(this.db, sub, [m], (uow, handled) => this.recordDelivery(uow, sub, handled));
        raw.ack();
        this.done([m]);
      } catch (e: any) {
        const reason = String(e?.message ?? e);
        // attempts are counted in the outbox, as the relay does (JetStream's redelivery count also counts waiting)
        const [row] = await this.db.query<{ attempts: number }>('select attempts from platform.outbox where id = $1', [m.id]);
        const attempts = (row?.attempts ?? 0) + 1;
        if (m.correlationId !== null) blocked.add(m.correlationId);
        if (attempts >= this.opts.maxAttempts) {
          await deadLetter(this.db, m, sub.consumer, reason, attempts, [sub.consumer], this.opts.onDeadLetter);
          raw.term(reason.slice(0, 200));
          this.opts.log?.warn({ messageId: m.id, type: m.type, consumer: sub.consumer, reason }, 'message dead-lettered');
        } else {
          const delay = this.opts.backoffMs * 2 ** (attempts - 1);
          await recordFailure(this.db, m.id, attempts, reason, delay).catch(() => undefined);
          raw.nak(delay);
        }
      }
    }
  }

  /** Messages of the batch whose correlation has an earlier message for this consumer not handled yet. */
  private async waitingOnEarlier(sub: Subscription, list: Message[]): Promise<Set<string>> {
    const correlated = list.filter((m) => m.correlationId !== null);
    if (!correlated.length) return new Set();
    const rows = await this.db.query<{ id: string }>(
      `select m.id from unnest($1::uuid[], $2::text[], $3::bigint[]) as m(id, correlation_id, seq)
        where exists (select 1 from platform.outbox o
                       where o.correlation_id = m.correlation_id and o.seq < m.seq and o.status in ('pending', 'failed')
                         and o.type = any($4::text[]) and o.id <> all($1::uuid[])
                         and not exists (select 1 from platform.inbox i where i.consumer = $5 and i.message_id = o.id))`,
      [correlated.map((m) => m.id), correlated.map((m) => m.correlationId), correlated.map((m) => m.seq), [...sub.types], sub.consumer],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** In the consumer's unit of work: this consumer has the messages; a row every consumer has is delivered. */
  private async recordDelivery(uow: UnitOfWork, sub: Subscription, handled: Message[]) {
    const rows = await uow.query<{ id: string; status: string }>(
      `update platform.outbox o
          set consumers = array(select distinct x from unnest(o.consumers || $2::text) x order by x),
              status = case when e.expected::text[] <@ (o.consumers || $2::text) then 'delivered' else o.status end,
              delivered_at = case when e.expected::text[] <@ (o.consumers || $2::text) then now() else o.delivered_at end,
              last_error = null
         from (select unnest($1::uuid[]) as id, unnest($3::text[]) as expected) e
        where o.id = e.id
        returning o.id, o.status`,
      [handled.map((m) => m.id), sub.consumer, handled.map((m) => pgArray(this.subs.for(m.type).map((s) => s.consumer)))],
    );
    // every instance's live stream hears of a message once, when its last consumer has committed
    const done = new Set(rows.filter((r) => r.status === 'delivered').map((r) => r.id));
    const announce = handled.filter((m) => done.has(m.id)).map(toWire);
    if (announce.length) uow.afterCommit(() => this.nc?.publish(this.deliveredSubject, wires.encode(announce)));
  }

  private done(msgs: Message[]) {
    this.delivered += msgs.length;
  }
}

function toWire(m: Message): Wire {
  return { id: m.id, seq: m.seq, type: m.type, source: m.source, correlationId: m.correlationId, payload: m.payload, occurredAt: m.occurredAt.toISOString() };
}

function toMessage(w: Wire): Message {
  return { id: w.id, seq: w.seq, type: w.type, source: w.source, correlationId: w.correlationId, payload: w.payload, occurredAt: new Date(w.occurredAt) };
}
