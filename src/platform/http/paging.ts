import { z } from 'zod';

/**
 * The page of a list that screens ask for (`?q=&limit=&offset=`; each list adds its own `sort`).
 * Without them a list answers as it always did; with them, one statement a page, never the table.
 */
export const PageBounds = {
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
};

/** Whether a list query asks for a page (any of q, sort, limit, offset given). */
export const asksForPage = (query: { q?: string; sort?: string; limit?: number; offset?: number }) =>
  [query.q, query.sort, query.limit, query.offset].some((v) => v !== undefined);

/** An `ilike` pattern matching text that contains `s` literally (its `%`, `_` and `\` escaped). */
export const containsPattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
