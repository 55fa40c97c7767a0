import type { JetStreamManager, JsMsg } from 'nats';
import type { Database, UnitOfWork } from '../db/index.ts';
import { messageOf } from '../kernel/index.ts';
import type { Message, Subscription, Subscriptions } from './bus.ts';
import { deadLetter, handleInOne, pgArray, recordFailure } from './consume.ts';
import { codec, durableName, toMessage, toWire, wires, type Link } from './jetstream-wire.ts';
import type { RelayOptions } from './relay.ts';

export interface ConsumerOptions extends Pick<RelayOptions, 'onDeadLetter' | 'log'> {
  maxAttempts: number;
  backoffMs: number;
  pollMs: number;
  batchSize: number;
  stream: string;
  ackWaitMs: number;
}

/**
 * The consuming half of the bus over JetStream: a loop per subscription on its durable pull
 * consumer. A fetched batch is handled in one unit of work with its inbox rows, exactly as the
 * in-process relay does, and acknowledged after the commit; if the batch fails, its messages are
 * handled one by one. A message whose correlation has an earlier message for this consumer still
 * open waits (negative acknowledgement with a delay); a failing one is retried with backoff, then
 * dead-lettered and terminated in JetStream.
 */
export class JetStreamConsumers {
  delivered = 0;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly db: Database,
    private readonly subs: Subscriptions,
    private readonly link: Link,
    private readonly opts: ConsumerOptions,
    /** Core NATS (not stored): delivered messages, for every instance's live stream. */
    private readonly deliveredSubject: string,
    /** Makes the stream and the durable consumers again (after one was lost). */
    private readonly ensure: (jsm: JetStreamManager) => Promise<void>,
  ) {}

  start() {
    for (const sub of this.subs.all()) this.loops.push(this.consume(sub));
  }

  /** Wakes the loops (the link says stopped) and waits for them to end. */
  async stop() {
    for (const w of this.wakers) w();
    this.wakers.clear();
    await Promise.all(this.loops.splice(0));
  }

  /**
   * One subscription's loop. JetStream pushes messages into a buffer as they arrive (a pull
   * consumer with flow control); the loop handles whatever has gathered, up to a batch, then
   * acknowledges. Nothing waits for a batch to fill: one message is handled at once.
   */
  private async consume(sub: Subscription) {
    // a lost consumer (deleted, the server away at the wrong moment) is looked up again
    while (!this.link.stopped) {
      try {
        await this.consumeOnce(sub);
      } catch (e) {
        if (this.link.stopped) break;
        this.opts.log?.error({ err: e, consumer: sub.consumer }, 'jetstream consumer lost; setting it up again');
        await new Promise((r) => setTimeout(r, this.opts.pollMs));
        // the stream or the consumer was deleted: make them again (what the stream lost is republished, see republishAfterMs)
        const nc = this.link.nc;
        if (nc && !this.link.stopped) await this.ensure(await nc.jetstreamManager()).catch(() => undefined);
      }
    }
  }

  private async consumeOnce(sub: Subscription) {
    const consumer = await this.link.js!.consumers.get(this.opts.stream, durableName(sub.consumer));
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
      while (!this.link.stopped) {
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
      } catch (e: unknown) {
        const reason = messageOf(e);
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
    if (announce.length) uow.afterCommit(() => this.link.nc?.publish(this.deliveredSubject, wires.encode(announce)));
  }

  private done(msgs: Message[]) {
    this.delivered += msgs.length;
  }
}
