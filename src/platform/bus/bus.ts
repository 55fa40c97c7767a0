import type { UnitOfWork } from '../db/index.ts';

/** A message as a consumer receives it (a row of the outbox). */
export interface Message<P = unknown> {
  id: string;
  seq: number;
  type: string;
  source: string;
  correlationId: string | null;
  payload: P;
  occurredAt: Date;
}

/** Runs inside the consumer's own unit of work; what it emits and writes commits with its inbox row. */
export type MessageHandler = (msg: Message, uow: UnitOfWork) => Promise<void>;

/**
 * Several fresh messages of one delivery at once, in their order, in one unit of work: for a
 * consumer that does in a few statements what it would do once per message (the MES making the
 * work orders of a bulk release). The unit of work's correlationId and messageId are null; the
 * handler sets them (or passes a correlation to `emit`) for what belongs to one message.
 */
export type BatchHandler = (msgs: Message[], uow: UnitOfWork) => Promise<void>;

export interface Subscription {
  /** Unique name, e.g. `erp.production-progress`; the inbox dedupes per consumer. */
  consumer: string;
  /** The module the handler belongs to (its unit of work runs as that module). */
  module: string;
  types: ReadonlySet<string>;
  handle: BatchHandler;
}

/** A per-message handler as a batch handler: each message in turn, with its correlation and id on the unit of work. */
const oneByOne =
  (handle: MessageHandler): BatchHandler =>
  async (msgs, uow) => {
    for (const m of msgs) {
      uow.correlationId = m.correlationId;
      uow.messageId = m.id;
      await handle(m, uow);
    }
    // a batch run that follows in the same delivery must not carry the last message's identity
    uow.correlationId = null;
    uow.messageId = null;
  };

/**
 * A batch handler that hands each run of consecutive messages of one of `batched`'s types to its
 * batch function, and every other message to `one`, in order: the order of a consumer's messages
 * holds, and the frequent type (a bulk release, a stream of production reports) costs a few
 * statements per run instead of per message.
 */
export function inRuns(batched: Record<string, BatchHandler>, one: MessageHandler): BatchHandler {
  const single = oneByOne(one);
  return async (msgs, uow) => {
    for (let i = 0; i < msgs.length; ) {
      const type = msgs[i].type;
      const run: Message[] = [];
      while (i < msgs.length && msgs[i].type === type && (batched[type] || !run.length)) run.push(msgs[i++]);
      await (batched[type] ?? single)(run, uow);
    }
  };
}

/** The subscriber registry. Modules subscribe through `app.ts`; the relay and transports read it. */
export class Subscriptions {
  private readonly list: Subscription[] = [];

  subscribe(module: string, consumer: string, types: string[], handle: MessageHandler) {
    this.subscribeBatch(module, consumer, types, oneByOne(handle));
  }

  subscribeBatch(module: string, consumer: string, types: string[], handle: BatchHandler) {
    if (this.list.some((s) => s.consumer === consumer)) throw new Error(`consumer ${consumer} subscribed twice`);
    this.list.push({ consumer, module, types: new Set(types), handle });
  }

  all(): readonly Subscription[] {
    return this.list;
  }

  for(type: string): Subscription[] {
    return this.list.filter((s) => s.types.has(type));
  }

  byConsumer(consumer: string): Subscription | undefined {
    return this.list.find((s) => s.consumer === consumer);
  }
}

/**
 * A transport of the bus (ADR 0003, ADR 0006): the in-process relay over the outbox table, or NATS
 * JetStream for several app instances. Both deliver committed outbox rows to the subscriptions
 * through the same consumer function (inbox + handler in one unit of work).
 */
export interface BusTransport {
  readonly kind: 'memory' | 'nats';
  start(): void | Promise<void>;
  /** Stops after the work under way (graceful shutdown drains through `drain()` first). */
  stop(): Promise<void>;
  /** Delivers until no message is open or maxMs passed; returns how many are still open. */
  drain(maxMs?: number): Promise<number>;
  readonly isRunning: boolean;
}
