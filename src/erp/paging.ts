import { z } from 'zod';
import type { Queryable } from '../platform/index.ts';

/** `?q=&sort=&limit=&offset=` of a master-data list (screens page through it; without them, every row as before). */
export const PageQuery = z.object({
  q: z.string().max(100).optional(),
  sort: z.enum(['code', '-code', 'name', '-name']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Rows of `table` whose code or name contains `q`, in the asked order, one page of them. */
export async function pageOf<R extends object>(q: Queryable, table: string, columns: string, p: PageQuery): Promise<R[]> {
  const [col, dir] = p.sort?.startsWith('-') ? [p.sort.slice(1), 'desc'] : [p.sort ?? 'code', 'asc'];
  return q.query<R>(
    `select ${columns} from ${table} where $1::text is null or code ilike $1 or name ilike $1
     order by ${col === 'name' ? 'name' : 'code'} ${dir}, code limit $2 offset $3`,
    [p.q ? like(p.q) : null, p.limit ?? null, p.offset ?? 0],
  );
}
