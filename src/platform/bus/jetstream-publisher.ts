import { Events, type NatsConnection } from 'nats';
import { WakeableLoop } from '../background.ts';
import type { Database } from '../db/index.ts';
import type { Subscriptions } from './bus.ts';
import { codec, toWire, wires, type Link, type Wire } from './jetstream-wire.ts';
import type { RelayOptions } from './relay.ts';

/** A row of platform.outbox as the publisher reads it. */
interface OutboxPublishRow {
  seq: number;
  id: string;
  type: string;
  source: string;
  correlation_id: string | null;
  payload: unknown;
  occurred_at: Date;
  publications: number;
}

export interface PublisherOptions extends Pick<RelayOptions, 'log'> {
  pollMs: number;
  batchSize: number;
  republishAfterMs: number;
}

/**
 * The publishing half of the bus over JetStream: one instance at a time (by an advisory lock)
 * publishes committed outbox rows in sequence order to the stream, with the outbox id as the
 * message id so a publish repeated after a crash is dropped by JetStream. Woken after commits.
 */
export class OutboxPublisher {
  private readonly loop: WakeableLoop;
  private sweptAt = 0;
  /** Reconnections so far, and up to which one every open row was published again after it. */
  private reconnects = 0;
  private sweptReconnects = 0;

  constructor(
    private readonly db: Database,
    private readonly subs: Subscriptions,
    private readonly link: Link,
    private readonly opts: PublisherOptions,
    private readonly subject: string,
    /** Core NATS (not stored): delivered messages, for every instance's live stream. */
    private readonly deliveredSubject: string,
  ) {
    this.loop = new WakeableLoop(
      () => this.publishAll(),
      () => this.opts.pollMs,
      (e) => this.opts.log?.error({ err: e }, 'outbox publisher failed'),
    );
    db.onCommit(() => this.loop.wake());
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

  /**
   * A nats-server killed and started again on its store may have lost the messages it acknowledged
   * just before (JetStream writes its file store behind the acknowledgement). Those stay open in
   * the outbox and, with one correlation, hold every later message of it back until the sweep
   * (republishAfterMs) finds them: so after a reconnect every open row is published again at once
   * (under a new message id; consumers that had it skip it through their inbox).
   */
  async watchReconnects(nc: NatsConnection) {
    for await (const s of nc.status()) {
      if (s.type !== Events.Reconnect) continue;
      this.reconnects++;
      this.opts.log?.warn({ server: s.data }, 'NATS connection back; open outbox messages are published again');
      this.loop.wake();
    }
  }

  /** Publishes the open, unpublished head of the outbox, in sequence order, until none is left. */
  private async publishAll() {
    while (!this.link.stopped && (await this.publishBatch()) > 0);
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
      const rows = await conn.query<OutboxPublishRow>(
        `select seq, id, type, source, correlation_id, payload, occurred_at, publications from platform.outbox
          where status in ('pending', 'failed') and published_at is null order by seq limit $1`,
        [this.opts.batchSize],
      );
      if (!rows.length || !this.link.js) return { ...none, swept: republishAll };
      const js = this.link.js;
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
    if (unheard.length) this.link.nc?.publish(this.deliveredSubject, wires.encode(unheard));
    return published;
  }
}
