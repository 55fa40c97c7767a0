import { num, type Queryable } from '../../platform/index.ts';
import type { ItemUnits } from './model.ts';

interface UnitRow {
  code: string;
  stock_uom: string;
  uom: string | null;
  factor: string | null;
}

/** The units of items (stock unit and others); items that do not exist are absent. */
export async function unitsOf(q: Queryable, itemCodes: string[]): Promise<Map<string, ItemUnits>> {
  const rows = await q.query<UnitRow>(
    `select i.code, i.uom as stock_uom, u.uom, u.factor from erp.items i left join erp.item_uoms u on u.item_code = i.code
      where i.code = any($1::text[]) order by i.code, u.uom`,
    [itemCodes],
  );
  const out = new Map<string, ItemUnits>();
  for (const r of rows) {
    let u = out.get(r.code);
    if (!u) out.set(r.code, (u = { itemCode: r.code, stockUom: r.stock_uom, factors: new Map() }));
    if (r.uom !== null) u.factors.set(r.uom, num(r.factor));
  }
  return out;
}

/** Adds or changes one unit of an item; returns what it was before (null when new). */
export async function saveUom(q: Queryable, itemCode: string, uom: string, factor: number) {
  const [before] = await q.query<{ factor: string }>('select factor from erp.item_uoms where item_code = $1 and uom = $2 for update', [itemCode, uom]);
  await q.query(
    `insert into erp.item_uoms (item_code, uom, factor) values ($1, $2, $3)
     on conflict (item_code, uom) do update set factor = excluded.factor`,
    [itemCode, uom, factor],
  );
  return before ? num(before.factor) : null;
}
