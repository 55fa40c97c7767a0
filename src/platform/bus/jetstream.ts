import { AckPolicy, connect, DeliverPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager } from 'nats';
import type { Database } from '../db/index.ts';
import { messageOf } from '../kernel/index.ts';
import type { BusTransport, Subscriptions } from './bus.ts';
import { JetStreamConsumers } from './jetstream-consumer.ts';
import { OutboxPublisher } from './jetstream-publisher.ts';
import { durableName, toMessage, wires, type Link } from './jetstream-wire.ts';
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
  private readonly link: Link = { nc: null, js: null, stopped: true };
  /** The outbox publisher (jetstream-publisher.ts) and a consumer loop per subscription (jetstream-consumer.ts). */
  private readonly publisher: OutboxPublisher;
  private readonly consumers: JetStreamConsumers;
  private readonly opts: Required<Pick<JetStreamOptions, 'maxAttempts' | 'backoffMs' | 'pollMs' | 'batchSize' | 'stream' | 'republishAfterMs' | 'ackWaitMs'>> & JetStreamOptions;
  private readonly subject: string;
  /** Core NATS (not stored): delivered messages, for every instance's live stream. */
  private readonly deliveredSubject: string;

  constructor(
    private readonly db: Database,
    private readonly subs: Subscriptions,
    opts: JetStreamOptions,
  ) {
    this.opts = { maxAttempts: 5, backoffMs: 200, pollMs: 500, batchSize: 500, stream: 'CLOSELOOP', republishAfterMs: 120_000, ackWaitMs: 5_000, ...opts };
    this.subject = `${this.opts.stream.toLowerCase()}.msg`;
    this.deliveredSubject = `${this.opts.stream.toLowerCase()}.delivered`;
    this.publisher = new OutboxPublisher(db, subs, this.link, this.opts, this.subject, this.deliveredSubject);
    this.consumers = new JetStreamConsumers(db, subs, this.link, this.opts, this.deliveredSubject, (jsm) => this.ensureStreamAndConsumers(jsm));
  }

  get isRunning() {
    return !this.link.stopped;
  }

  /** Messages this instance's consumers have handled. */
  get delivered() {
    return this.consumers.delivered;
  }

  async start() {
    if (!this.link.stopped) return;
    const nc = await connect({ servers: this.opts.url, name: 'closeloop' }).catch((e: unknown) => {
      throw new Error(`NATS_URL ${this.opts.url}: cannot connect (${(e as { code?: string } | undefined)?.code ?? messageOf(e)})`);
    });
    this.link.nc = nc;
    const jsm = await nc.jetstreamManager().catch(async (e: unknown) => {
      await nc.close();
      throw new Error(`NATS_URL ${this.opts.url}: JetStream is not available (${messageOf(e)}); start nats-server with -js`);
    });
    try {
      await this.ensureStreamAndConsumers(jsm);
    } catch (e: unknown) {
      await nc.close();
      throw new Error(`NATS_URL ${this.opts.url}: cannot set up stream ${this.opts.stream} (${messageOf(e)})`);
    }
    this.link.js = nc.jetstream();
    nc.subscribe(this.deliveredSubject, {
      callback: (err, m) => {
        if (!err) this.opts.onDelivered?.(wires.decode(m.data).map(toMessage));
      },
    });
    void this.publisher.watchReconnects(nc);
    this.link.stopped = false;
    this.publisher.start();
    this.consumers.start();
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
    if (this.link.stopped) return;
    this.link.stopped = true;
    await this.publisher.stop();
    await this.consumers.stop();
    await this.link.nc?.drain().catch(() => undefined);
    this.link.nc = null;
    this.link.js = null;
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
}
