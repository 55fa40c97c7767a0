import { z } from 'zod';

/** What the feed reports (CONTRACT: "Outbound feed"). */
export const FEED_TYPES = [
  'work_order.planned',
  'work_order.progress',
  'work_order.completed',
  'material.consumed',
  'lot.held',
  'lot.released',
  'order_change.accepted',
  'order_change.rejected',
  'work_order.cancelled',
] as const;
export type FeedType = (typeof FEED_TYPES)[number];

/** An event to append: codes and units are already the system's own. */
export interface FeedEventInput {
  system: string;
  type: FeedType;
  occurredAt: string;
  externalRef: string | null;
  payload: Record<string, unknown>;
  messageId?: string | null;
}

export interface FeedEvent {
  cursor: number;
  type: FeedType;
  occurredAt: string;
  externalRef: string | null;
  payload: Record<string, unknown>;
}

export const FeedQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** What a webhook receives: one event, with the system and its cursor. */
export const webhookBody = (system: string, e: FeedEvent) =>
  JSON.stringify({ system, cursor: e.cursor, type: e.type, occurredAt: e.occurredAt, externalRef: e.externalRef, payload: e.payload });

/** Retry delay after the n-th failed attempt (n ≥ 1): doubling, at most an hour. */
export const backoffMs = (firstMs: number, attempts: number) => Math.min(firstMs * 2 ** (attempts - 1), 3_600_000);

/** The dead-letter source of webhook deliveries that kept failing. */
export const FEED_DEAD_LETTER_SOURCE = 'webhook';
