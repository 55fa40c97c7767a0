import { num, type Queryable } from '../../platform/index.ts';
import type { BomEdge } from './model.ts';

/** Every BOM in force (the latest version of each item) as parent → component edges. */
export async function edgesInForce(q: Queryable): Promise<BomEdge[]> {
  const rows = await q.query(
    `select c.item_code, c.component_code, c.qty, c.scrap_factor
       from erp.bom_components c
       join (select item_code, max(version) as version from erp.boms group by item_code) b
         on b.item_code = c.item_code and b.version = c.version
      order by c.item_code, c.position`,
  );
  return rows.map((r) => ({ parent: r.item_code, component: r.component_code, qty: num(r.qty), scrapFactor: num(r.scrap_factor) }));
}

export async function currentVersion(q: Queryable, itemCode: string): Promise<number | null> {
  const [r] = await q.query('select max(version) as v from erp.boms where item_code = $1', [itemCode]);
  return r?.v === null || r?.v === undefined ? null : Number(r.v);
}

export async function bomOf(q: Queryable, itemCode: string, version?: number) {
  const v = version ?? (await currentVersion(q, itemCode));
  if (v === null) return null;
  const rows = await q.query(
    'select component_code, qty, scrap_factor from erp.bom_components where item_code = $1 and version = $2 order by position',
    [itemCode, v],
  );
  const [head] = await q.query('select created_at from erp.boms where item_code = $1 and version = $2', [itemCode, v]);
  if (!head) return null;
  return {
    itemCode,
    version: v,
    createdAt: (head.created_at as Date).toISOString(),
    components: rows.map((r) => ({ itemCode: r.component_code, qty: num(r.qty), scrapFactor: num(r.scrap_factor) })),
  };
}
