import { z } from 'zod';
import { PageBounds } from '../../platform/index.ts';

/** `?q=&sort=&limit=&offset=` of a short master-data list (work centres, plants): searched and paged after the read. */
export const PageQuery = z.object({
  ...PageBounds,
  sort: z.enum(['code', '-code', 'name', '-name']).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export function pageRows<R extends { code: string; name: string }>(rows: R[], p: PageQuery): R[] {
  const needle = p.q?.toLowerCase();
  const found = needle ? rows.filter((r) => r.code.toLowerCase().includes(needle) || r.name.toLowerCase().includes(needle)) : rows;
  const key = (p.sort ?? 'code').replace('-', '') as 'code' | 'name';
  const sign = p.sort?.startsWith('-') ? -1 : 1;
  const sorted = p.sort ? [...found].sort((a, b) => sign * (a[key].localeCompare(b[key]) || a.code.localeCompare(b.code))) : found;
  const from = p.offset ?? 0;
  return p.limit === undefined ? sorted.slice(from) : sorted.slice(from, from + p.limit);
}
