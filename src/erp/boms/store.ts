import { num, type Queryable } from '../../platform/index.ts';
import type { BomEdge } from './model.ts';

/** A row of erp.boms (one version of an item's BOM). */
export interface BomRow {
  item_code: string;
  version: number;
  created_at: Date;
  created_by: string;
}

/** A row of erp.bom_components. */
export interface BomComponentRow {
  item_code: string;
  version: number;
  position: number;
  component_code: string;
  qty: string;
  scrap_factor: string;
}

/** Every BOM in force (the latest version of each item) as parent → component edges. */
export async function edgesInForce(q: Queryable): Promise<BomEdge[]> {
  const rows = await q.query<Pick<BomComponentRow, 'item_code' | 'component_code' | 'qty' | 'scrap_factor'>>(
    `select c.item_code, c.component_code, c.qty, c.scrap_factor
       from erp.bom_components c
       join (select item_code, max(version) as version from erp.boms group by item_code) b
         on b.item_code = c.item_code and b.version = c.version
      order by c.item_code, c.position`,
  );
  return rows.map((r) => ({ parent: r.item_code, component: r.component_code, qty: num(r.qty), scrapFactor: num(r.scrap_factor) }));
}

export async function currentVersion(q: Queryable, itemCode: string): Promise<number | null> {
  const [r] = await q.query<{ v: number | null }>('select max(version) as v from erp.boms where item_code = $1', [itemCode]);
  return r?.v === null || r?.v === undefined ? null : Number(r.v);
}

export async function bomOf(q: Queryable, itemCode: string, version?: number) {
  const v = version ?? (await currentVersion(q, itemCode));
  if (v === null) return null;
  const rows = await q.query<Pick<BomComponentRow, 'component_code' | 'qty' | 'scrap_factor'>>(
    'select component_code, qty, scrap_factor from erp.bom_components where item_code = $1 and version = $2 order by position',
    [itemCode, v],
  );
  const [head] = await q.query<Pick<BomRow, 'created_at'>>('select created_at from erp.boms where item_code = $1 and version = $2', [itemCode, v]);
  if (!head) return null;
  return {
    itemCode,
    version: v,
    createdAt: head.created_at.toISOString(),
    components: rows.map((r) => ({ itemCode: r.component_code, qty: num(r.qty), scrapFactor: num(r.scrap_factor) })),
  };
}
