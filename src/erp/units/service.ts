import { notFound, unprocessable, type Queryable, type UnitOfWork } from '../../platform/index.ts';
import { isIntegerUnit, toStock, type NewUom } from './model.ts';
import { saveUom, unitsOf } from './store.ts';

/** The units of an item: its stock unit and the others with their factor (404 for an unknown item). */
export async function itemUnits(q: Queryable, itemCode: string) {
  const u = (await unitsOf(q, [itemCode])).get(itemCode);
  if (!u) throw notFound('item', itemCode);
  return { itemCode, stockUom: u.stockUom, uoms: [{ uom: u.stockUom, factor: 1 }, ...[...u.factors].map(([uom, factor]) => ({ uom, factor }))] };
}

/** Another unit of an item: 1 `uom` = `factor` stock units (a second call changes the factor). */
export async function addUom(uow: UnitOfWork, itemCode: string, body: NewUom) {
  const u = (await unitsOf(uow, [itemCode])).get(itemCode);
  if (!u) throw notFound('item', itemCode);
  if (body.uom === u.stockUom) throw unprocessable(`${body.uom} is the stock unit of ${itemCode}`, { field: 'uom', uom: body.uom });
  if (isIntegerUnit(u.stockUom) && !Number.isInteger(body.factor))
    throw unprocessable(`1 ${body.uom} must be a whole number of ${u.stockUom}`, { field: 'factor', uom: body.uom, factor: body.factor });
  const before = await saveUom(uow, itemCode, body.uom, body.factor);
  uow.audit({ action: before === null ? 'create' : 'update', entity: 'item_uom', ref: `${itemCode}/${body.uom}`, before: before === null ? null : { factor: before }, after: body });
  return itemUnits(uow, itemCode);
}

export interface Quantities {
  itemCode: string;
  qty: number;
  uom?: string | null;
  /** The field named in a refusal (e.g. `lines[2].qty`). */
  field?: string;
}

/**
 * Quantities in any of their items' units as stock units (6 decimals). An unknown item is left to
 * the caller; an unknown unit or a fraction of an integer-only unit is 422 naming it.
 */
export async function inStockUnits(q: Queryable, list: Quantities[]): Promise<number[]> {
  const units = await unitsOf(q, [...new Set(list.map((x) => x.itemCode))]);
  return list.map((x) => {
    const u = units.get(x.itemCode);
    if (!u) return x.qty;
    const c = toStock(u, x.qty, x.uom);
    if (c.ok) return c.qty;
    const field = x.field ?? 'qty';
    if (c.reason === 'unknown-unit')
      throw unprocessable(`unknown unit ${c.uom} for item ${x.itemCode} (units: ${[u.stockUom, ...u.factors.keys()].join(', ')})`, { field: field.replace(/qty$/, 'uom'), uom: c.uom, itemCode: x.itemCode });
    throw unprocessable(`${c.uom} is counted in whole numbers: ${x.qty} ${x.uom ?? u.stockUom} of ${x.itemCode} is refused`, { field, uom: c.uom, itemCode: x.itemCode, qty: x.qty });
  });
}
