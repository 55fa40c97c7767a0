import { conflict, notFound, unprocessable, type Queryable, type UnitOfWork } from '../../platform/index.ts';
import { DEFAULT_PLANT, type NewWarehouse, type Warehouse } from './model.ts';
import { insertWarehouse, warehouses } from './store.ts';

/** A warehouse of a plant (default `main`); 409 on a duplicate code. */
export async function createWarehouse(uow: UnitOfWork, body: NewWarehouse): Promise<Warehouse> {
  const w = { code: body.code, name: body.name, plant: body.plant ?? DEFAULT_PLANT };
  if (!(await insertWarehouse(uow, w))) throw conflict(`warehouse ${w.code} exists`, { code: w.code });
  uow.audit({ action: 'create', entity: 'warehouse', ref: w.code, after: w });
  return w;
}

export const listWarehouses = (q: Queryable) => warehouses(q);

export async function warehouseOf(q: Queryable, code: string) {
  const [w] = await warehouses(q, [code]);
  if (!w) throw notFound('warehouse', code);
  return w;
}

/** 422 naming the first unknown warehouse (`field` is the request field that named it). */
export async function assertWarehouses(q: Queryable, named: { code: string; field: string }[]) {
  const known = new Set((await warehouses(q, [...new Set(named.map((n) => n.code))])).map((w) => w.code));
  const bad = named.find((n) => !known.has(n.code));
  if (bad) throw unprocessable(`unknown warehouse ${bad.code}`, { field: bad.field, warehouse: bad.code });
}
