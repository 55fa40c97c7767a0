import type { Logger } from 'pino';
import type { Actor, Database } from '../platform/index.ts';
import { writeReadings, type Outcome, type WorkCenterCache } from './ingest.ts';
import type { Reading } from './model.ts';
import type { ShopFloorPort } from './port.ts';

export interface PipelineOptions {
  /** Messages held in memory before producers are made to wait (back-pressure). */
  maxQueue: number;
  /** Messages per transaction. */
  maxBatch: number;
}

export interface IngestStats {
  received: number;
  accepted: number;
  rejected: number;
}

export const MQTT_ACTOR: Actor = { kind: 'machine', id: 'mqtt', roles: ['integration'] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
interface Entry {
  reading: Reading;
  /** Runs once the reading is stored (committed, or kept as a dead letter): then the broker acknowledges. */
  stored: () => void;
}

/**
 * The ingest queue between the broker and the database. Producers `offer` parsed readings; one
 * writer takes whatever has gathered (up to `maxBatch`) and writes it in one unit of work, so the
 * batch grows with the load and a quiet line is written at once. A reading's `stored` callback
 * runs only after the transaction holding it commits: the broker sends the PUBACK then, so a
 * crash never loses an acknowledged message. While `maxQueue` readings wait, the rest are held
 * outside the queue unacknowledged — the broker stops reading a connection whose messages are not
 * acknowledged, so memory stays bounded however slow or absent the database is. A transient
 * database error is retried with backoff for as long as it takes; nothing is dropped.
 */
export class IngestPipeline {
  readonly stats: IngestStats = { received: 0, accepted: 0, rejected: 0 };
  private queue: Entry[] = [];
  private waiting: Entry[] = [];
  private writing = false;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  private stopped = false;
  /** Batches written (for the bench and metrics). */
  batches = 0;
  /** Batch attempts that failed on a transient error and were retried. */
  retries = 0;

  constructor(
    private readonly db: Database,
    private readonly port: () => ShopFloorPort,
    private readonly cache: WorkCenterCache,
    private readonly log: Logger,
    readonly opts: PipelineOptions = { maxQueue: 20_000, maxBatch: 1_000 },
  ) {}

  get depth() {
    return this.queue.length + this.waiting.length;
  }

  /** Takes a reading; `stored` runs once it is committed (or kept as a dead letter). */
  offer(reading: Reading, stored: () => void = () => undefined) {
    this.stats.received++;
    if (this.queue.length < this.opts.maxQueue && !this.waiting.length) this.queue.push({ reading, stored });
    else this.waiting.push({ reading, stored });
    this.schedule();
  }

  /** Resolves once fewer than `maxQueue` readings wait (a producer that reads no more until then). */
  roomFor(): Promise<void> {
    if (this.depth < this.opts.maxQueue) return Promise.resolve();
    return new Promise((r) => this.roomWaiters.push(r));
  }

  /** Counts readings handled outside the queue (the HTTP batch route writes in its own request). */
  count(outcomes: Outcome[]) {
    this.stats.received += outcomes.length;
    this.tally(outcomes);
  }

  /** Resolves when everything offered so far is written (or `timeoutMs` passed). */
  async drain(timeoutMs = 30_000) {
    if (!this.depth && !this.writing) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((r) => this.idleWaiters.push(r)), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Waits up to `timeoutMs` for the queue to be written; what is still unwritten then stays unacknowledged (the devices send it again). */
  async stop(timeoutMs = 30_000) {
    await this.drain(timeoutMs);
    this.stopped = true;
  }

  private schedule() {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private admit() {
    while (this.waiting.length && this.queue.length < this.opts.maxQueue) this.queue.push(this.waiting.shift()!);
  }

  private async run() {
    if (this.writing) return;
    this.writing = true;
    try {
      while (!this.stopped && (this.queue.length || this.waiting.length)) {
        this.admit();
        const batch = this.queue.splice(0, this.opts.maxBatch);
        this.admit();
        try {
          await this.write(batch.map((e) => e.reading));
        } catch (e) {
          // stopping while the database is away: these stay unacknowledged, and are sent again
          this.log.warn({ err: e, batch: batch.length }, 'collect: stopped before a batch could be written; it was not acknowledged');
          continue;
        }
        for (const e of batch) e.stored();
        if (this.depth < this.opts.maxQueue) for (const r of this.roomWaiters.splice(0)) r();
      }
    } finally {
      this.writing = false;
      if (!this.depth || this.stopped) for (const r of this.idleWaiters.splice(0)) r();
      else this.schedule();
    }
  }

  /** Writes a batch; returns once it is committed. Transient errors are retried until the database answers. */
  private async write(batch: Reading[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const workCenter = await this.cache.resolveAll(this.db, batch);
        const outcomes = await this.db.unitOfWork({ actor: MQTT_ACTOR, module: 'collect' }, (uow) => writeReadings(uow, batch, this.port(), workCenter));
        this.batches++;
        this.tally(outcomes);
        return;
      } catch (e) {
        if (!isPoison(e)) {
          // the database is away or busy: wait and try again, holding the acknowledgements
          if (this.stopped) throw e;
          this.retries++;
          if (attempt % 20 === 0) this.log.warn({ err: e, batch: batch.length, attempt }, 'collect: batch not written, retrying');
          await sleep(Math.min(50 * 2 ** Math.min(attempt, 10), 2_000));
          continue;
        }
        if (batch.length > 1) {
          // find the message that cannot be written: halve until it stands alone
          const mid = batch.length >> 1;
          await this.write(batch.slice(0, mid));
          await this.write(batch.slice(mid));
          return;
        }
        const r = batch[0];
        this.log.error({ err: e, reading: r }, 'collect: message could not be written');
        if (!r.ok && r.payload === null) {
          this.stats.rejected++; // not even its dead letter can be written
          return;
        }
        // kept as a dead letter; if even that cannot be written, without its payload
        const reason = `could not be written: ${e instanceof Error ? e.message : String(e)}`;
        await this.write([{ ...r, ok: false, reason, payload: r.ok ? r : null }]);
        return;
      }
    }
  }

  private tally(outcomes: Outcome[]) {
    for (const o of outcomes) {
      if (o.accepted) this.stats.accepted++;
      else this.stats.rejected++;
    }
  }
}

/** SQLSTATE classes of data that can never be written (data exception, constraint, syntax/undefined). */
function isPoison(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  return typeof code === 'string' && /^(22|23|42)/.test(code);
}
