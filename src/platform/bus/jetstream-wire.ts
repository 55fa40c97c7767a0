import { JSONCodec, type JetStreamClient, type NatsConnection } from 'nats';
import type { Message } from './bus.ts';

/** A message as it travels in the stream (and on the core subject of delivered messages). */
export interface Wire {
  id: string;
  seq: number;
  type: string;
  source: string;
  correlationId: string | null;
  payload: unknown;
  occurredAt: string;
}

export const codec = JSONCodec<Wire>();
export const wires = JSONCodec<Wire[]>();
/** JetStream consumer names allow letters, digits, `-` and `_`. */
export const durableName = (consumer: string) => `closeloop-${consumer.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** What the transport shares with its publisher and its consumers: the connection while it runs, and whether it stopped. */
export interface Link {
  nc: NatsConnection | null;
  js: JetStreamClient | null;
  stopped: boolean;
}

export function toWire(m: Message): Wire {
  return { id: m.id, seq: m.seq, type: m.type, source: m.source, correlationId: m.correlationId, payload: m.payload, occurredAt: m.occurredAt.toISOString() };
}

export function toMessage(w: Wire): Message {
  return { id: w.id, seq: w.seq, type: w.type, source: w.source, correlationId: w.correlationId, payload: w.payload, occurredAt: new Date(w.occurredAt) };
}
