import type { Message } from './bus/index.ts';

export interface LiveEvent {
  id: string;
  type: string;
  correlationId: string | null;
  at: string;
  payload: unknown;
}

/** Fan-out of delivered messages to live listeners (server-sent events, webhooks). */
export class EventHub {
  private readonly listeners = new Set<(e: LiveEvent) => void>();

  listen(fn: (e: LiveEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  publish(msgs: Message[]) {
    if (!this.listeners.size) return;
    for (const m of msgs) {
      const e: LiveEvent = { id: m.id, type: m.type, correlationId: m.correlationId, at: m.occurredAt.toISOString(), payload: m.payload };
      for (const l of this.listeners) l(e);
    }
  }

  get size() {
    return this.listeners.size;
  }
}
