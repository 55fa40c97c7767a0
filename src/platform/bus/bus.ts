import type { UnitOfWork } from '../db/index.ts';

/** A message as a consumer receives it (a row of the outbox). */
export interface Message<P = any> {
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

export interface Subscription {
  /** Unique name, e.g. `erp.production-progress`; the inbox dedupes per consumer. */
  consumer: string;
  /** The module the handler belongs to (its unit of work runs as that module). */
  module: string;
  types: ReadonlySet<string>;
  handle: MessageHandler;
}

/** The subscriber registry. Modules subscribe through `app.ts`; the relay and transports read it. */
export class Subscriptions {
  private readonly list: Subscription[] = [];

  subscribe(module: string, consumer: string, types: string[], handle: MessageHandler) {
    if (this.list.some((s) => s.consumer === consumer)) throw new Error(`consumer ${consumer} subscribed twice`);
    this.list.push({ consumer, module, types: new Set(types), handle });
  }

  for(type: string): Subscription[] {
    return this.list.filter((s) => s.types.has(type));
  }

  byConsumer(consumer: string): Subscription | undefined {
    return this.list.find((s) => s.consumer === consumer);
  }
}
