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
/** SQLSTATE classes of data that can never be written (data exception, constraint, syntax/undefined). */
const POISON = /^(22|23|42)/;

/**
 * The ingest queue between the broker and the database. Producers `offer` parsed readings; one
 * writer takes whatever has gathered (up to `maxBatch`) and writes it in one unit of work, so the
 * batch grows with the load and a quiet line is written at once. When `maxQueue` readings wait,
 * `offer` holds the producer's callback until there is room: the broker stops acknowledging and
 * reading that connection, and memory stays bounded however slow the database is.
 */
export class IngestPipeline {
  readonly stats: IngestStats = { received: 0, accepted: 0, rejected: 0 };
  private queue: Reading[] = [];
  private waiting: { reading: Reading; admitted: () => void }[] = [];
  private writing = false;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  /** Batches written (for the bench and metrics). */
  batches = 0;

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

  /** Takes a reading; `admitted` runs once it is in the queue (at once unless the queue is full). */
  offer(reading: Reading, admitted: () => void = () => undefined) {
    this.stats.received++;
    if (this.queue.length < this.opts.maxQueue && !this.waiting.length) {
      this.queue.push(reading);
      this.schedule();
      admitted();
    } else {
      this.waiting.push({ reading, admitted });
      this.schedule();
    }
  }

  /** Counts readings handled outside the queue (the HTTP batch route writes in its own request). */
  count(outcomes: Outcome[]) {
    this.stats.received += outcomes.length;
    this.tally(outcomes);
  }

  /** Resolves when everything offered so far is written (or `timeoutMs` passed). */
  async drain(timeoutMs = 30_000) {
    if (!this.depth && !this.writing) return;
    await Promise.race([new Promise<void>((r) => this.idleWaiters.push(r)), sleep(timeoutMs)]);
  }

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
    while (this.waiting.length && this.queue.length < this.opts.maxQueue) {
      const w = this.waiting.shift()!;
      this.queue.push(w.reading);
      w.admitted();
    }
  }

  private async run() {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length || this.waiting.length) {
        this.admit();
        const batch = this.queue.splice(0, this.opts.maxBatch);
        this.admit(); // producers go on while this batch is written
        await this.write(batch, true);
      }
    } finally {
      this.writing = false;
      if (!this.depth) for (const r of this.idleWaiters.splice(0)) r();
      else this.schedule();
    }
  }

  private async write(batch: Reading[], retry: boolean): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const workCenter = await this.cache.resolveAll(this.db, batch);
        const outcomes = await this.db.unitOfWork({ actor: MQTT_ACTOR, module: 'collect' }, (uow) => writeReadings(uow, batch, this.port(), workCenter));
        this.batches++;
        this.tally(outcomes);
        return;
      } catch (e: any) {
        const poison = typeof e?.code === 'string' && POISON.test(e.code);
        if (!poison && retry && !this.stopped && attempt < 20) {
          if (attempt === 0) this.log.warn({ err: e, batch: batch.length }, 'collect: batch not written, retrying');
          await sleep(Math.min(50 * 2 ** attempt, 2_000));
          continue;
        }
        if (batch.length > 1) {
          // find the message that cannot be written: halve until it stands alone
          const mid = batch.length >> 1;
          await this.write(batch.slice(0, mid), false);
          await this.write(batch.slice(mid), false);
          return;
        }
        this.log.error({ err: e, reading: batch[0] }, 'collect: message could not be written');
        await this.db
          .unitOfWork({ actor: MQTT_ACTOR, module: 'collect' }, (uow) =>
            writeReadings(uow, [{ ...batch[0], ok: false, reason: `could not be written: ${e?.message ?? e}`, payload: batch[0] }], this.port(), async () => null),
          )
          .catch(() => undefined);
        this.stats.rejected++;
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
