import { num, type Queryable } from '../../platform/index.ts';
import { numOrNull } from '../shared.ts';
import type { Item } from './model.ts';

/** A row of erp.items. */
export interface ItemRow {
  code: string;
  name: string;
  kind: Item['kind'];
  uom: string;
  standard_cost: string;
  lead_time_days: number;
  reorder_point: string | null;
  reorder_qty: string | null;
  lot_controlled: boolean;
  lot_size_rule: Item['lotSizeRule'];
  lot_size: string | null;
  safety_stock: string;
  low_level_code: number;
  avg_cost: string;
  inspect_on_receipt: boolean;
  created_at: Date;
  updated_at: Date;
}

interface ItemHistoryRow {
  changed_at: Date;
  changed_by: string;
  before: unknown;
  after: unknown;
}

export const itemOf = (r: ItemRow): Item => ({
  code: r.code,
  name: r.name,
  kind: r.kind,
  uom: r.uom,
  standardCost: num(r.standard_cost),
  leadTimeDays: Number(r.lead_time_days),
  reorderPoint: numOrNull(r.reorder_point),
  reorderQty: numOrNull(r.reorder_qty),
  lotControlled: r.lot_controlled,
  lotSizeRule: r.lot_size_rule,
  lotSize: numOrNull(r.lot_size),
  safetyStock: num(r.safety_stock),
  inspectOnReceipt: r.inspect_on_receipt === true,
  lowLevelCode: Number(r.low_level_code),
  averageCost: num(r.avg_cost),
});

export async function findItem(q: Queryable, code: string, lock = false): Promise<Item | null> {
  const [r] = await q.query<ItemRow>(`select * from erp.items where code = $1${lock ? ' for update' : ''}`, [code]);
  return r ? itemOf(r) : null;
}

export async function listItems(q: Queryable, codes?: string[]): Promise<Item[]> {
  const rows = await q.query<ItemRow>('select * from erp.items where $1::text[] is null or code = any($1) order by code', [codes ?? null]);
  return rows.map(itemOf);
}

/** Inserts or updates one item row. */
export async function saveItem(q: Queryable, i: Omit<Item, 'lowLevelCode' | 'averageCost'>, insert: boolean) {
  const params = [i.code, i.name, i.kind, i.uom, i.standardCost, i.leadTimeDays, i.reorderPoint, i.reorderQty, i.lotControlled, i.lotSizeRule, i.lotSize, i.safetyStock, i.inspectOnReceipt];
  if (insert)
    await q.query(
      `insert into erp.items (code, name, kind, uom, standard_cost, lead_time_days, reorder_point, reorder_qty, lot_controlled, lot_size_rule, lot_size, safety_stock, inspect_on_receipt)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      params,
    );
  else
    await q.query(
      `update erp.items set name = $2, kind = $3, uom = $4, standard_cost = $5, lead_time_days = $6, reorder_point = $7, reorder_qty = $8,
         lot_controlled = $9, lot_size_rule = $10, lot_size = $11, safety_stock = $12, inspect_on_receipt = $13, updated_at = now() where code = $1`,
      params,
    );
}

export async function recordHistory(q: Queryable, code: string, by: string, before: unknown, after: unknown) {
  await q.query('insert into erp.item_history (item_code, changed_by, before, after) values ($1, $2, $3, $4)', [
    code,
    by,
    before === null ? null : JSON.stringify(before),
    JSON.stringify(after),
  ]);
}

export async function itemHistory(q: Queryable, code: string) {
  const rows = await q.query<ItemHistoryRow>('select changed_at, changed_by, before, after from erp.item_history where item_code = $1 order by id', [code]);
  return rows.map((r) => ({ at: r.changed_at.toISOString(), by: r.changed_by, before: r.before, after: r.after }));
}
