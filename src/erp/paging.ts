import { z } from 'zod';
import { containsPattern, PageBounds, type Queryable } from '../platform/index.ts';

/** `?q=&sort=&limit=&offset=` of a master-data list (screens page through it; without them, every row as before). */
export const PageQuery = z.object({
  ...PageBounds,
  sort: z.enum(['code', '-code', 'name', '-name']).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;


/** Rows of `table` whose code or name contains `q`, in the asked order, one page of them. */
export async function pageOf<R extends object>(q: Queryable, table: string, columns: string, p: PageQuery): Promise<R[]> {
  const [col, dir] = p.sort?.startsWith('-') ? [p.sort.slice(1), 'desc'] : [p.sort ?? 'code', 'asc'];
  return q.query<R>(
    `select ${columns} from ${table} where $1::text is null or code ilike $1 or name ilike $1
     order by ${col === 'name' ? 'name' : 'code'} ${dir}, code limit $2 offset $3`,
    [p.q ? containsPattern(p.q) : null, p.limit ?? null, p.offset ?? 0],
  );
}
