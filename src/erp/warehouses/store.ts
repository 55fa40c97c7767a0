import type { Queryable } from '../../platform/index.ts';
import type { Warehouse } from './model.ts';

/** A row of erp.warehouses. */
interface WarehouseRow {
  code: string;
  name: string;
  plant: string;
  is_default: boolean;
  created_at: Date;
}

const view = (r: Pick<WarehouseRow, 'code' | 'name' | 'plant'>): Warehouse => ({ code: r.code, name: r.name, plant: r.plant });

/** Inserts a warehouse; false when the code exists. */
export async function insertWarehouse(q: Queryable, w: Warehouse) {
  const rows = await q.query<Pick<WarehouseRow, 'code'>>('insert into erp.warehouses (code, name, plant) values ($1, $2, $3) on conflict (code) do nothing returning code', [w.code, w.name, w.plant]);
  return rows.length > 0;
}

export async function warehouses(q: Queryable, codes?: string[]): Promise<Warehouse[]> {
  const rows = await q.query<Pick<WarehouseRow, 'code' | 'name' | 'plant'>>('select code, name, plant from erp.warehouses where $1::text[] is null or code = any($1) order by code', [codes ?? null]);
  return rows.map(view);
}
