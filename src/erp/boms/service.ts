import { notFound, unprocessable, type Queryable, type UnitOfWork } from '../../platform/index.ts';
import { findCycle, rollUp, type BomBody } from './model.ts';
import { bomOf, currentVersion, edgesInForce } from './store.ts';
import type { ItemRow } from '../items/store.ts';

/** A new version of an item's BOM: refused (422) if it names unknown items or closes a cycle. */
export async function putBom(uow: UnitOfWork, itemCode: string, body: BomBody, opts: { rollUp?: boolean } = {}) {
  const [parent] = await uow.query<Pick<ItemRow, 'code'>>('select code from erp.items where code = $1 for update', [itemCode]);
  if (!parent) throw notFound('item', itemCode);
  const codes = body.components.map((c) => c.itemCode);
  const twice = codes.filter((c, i) => codes.indexOf(c) !== i);
  if (twice.length) throw unprocessable(`component listed twice: ${twice.join(', ')}`, { duplicates: twice });
  const known = new Set((await uow.query<{ code: string }>('select code from erp.items where code = any($1)', [codes])).map((r) => r.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length) throw unprocessable(`unknown item(s): ${unknown.join(', ')}`, { unknownItems: unknown });

  const children = new Map<string, string[]>();
  for (const e of await edgesInForce(uow)) {
    const list = children.get(e.parent) ?? [];
    list.push(e.component);
    children.set(e.parent, list);
  }
  children.set(itemCode, codes);
  const cycle = findCycle(itemCode, (c) => children.get(c) ?? []);
  if (cycle) throw unprocessable(`the BOM makes a cycle: ${cycle.join(' → ')}`, { cycle });

  const before = await bomOf(uow, itemCode);
  const version = ((await currentVersion(uow, itemCode)) ?? 0) + 1;
  await uow.query('insert into erp.boms (item_code, version, created_by) values ($1, $2, $3)', [itemCode, version, `${uow.actor.kind}:${uow.actor.id}`]);
  if (body.components.length)
    await uow.query(
      `insert into erp.bom_components (item_code, version, position, component_code, qty, scrap_factor)
       select $1, $2, * from unnest($3::int[], $4::text[], $5::numeric[], $6::numeric[])`,
      [itemCode, version, body.components.map((_, i) => i + 1), codes, body.components.map((c) => c.qty), body.components.map((c) => c.scrapFactor ?? 0)],
    );
  const components = body.components.map((c) => ({ itemCode: c.itemCode, qty: c.qty, scrapFactor: c.scrapFactor ?? 0 }));
  uow.audit({ action: 'put', entity: 'bom', ref: itemCode, before: before && { version: before.version, components: before.components }, after: { version, components } });
  uow.emit('SyncBillOfMaterial', { itemCode, version, components });
  if (opts.rollUp !== false) await rollUpStandardCosts(uow);
  return { itemCode, version, components };
}

/**
 * The standard-cost roll-up of every item through all BOM levels, by low-level code: two reads,
 * the computation in memory, one write of what changed (and the MES told of the changed items).
 */
export async function rollUpStandardCosts(uow: UnitOfWork | Queryable) {
  const rows = await uow.query<Pick<ItemRow, 'code' | 'name' | 'kind' | 'uom' | 'standard_cost' | 'lead_time_days' | 'low_level_code'>>(
    'select code, name, kind, uom, standard_cost, lead_time_days, low_level_code from erp.items',
  );
  const items = rows.map((r) => ({ code: r.code, standardCost: Number(r.standard_cost), level: Number(r.low_level_code), row: r }));
  const { level, cost } = rollUp(items, await edgesInForce(uow));
  const changed = items.filter((i) => cost.get(i.code) !== i.standardCost || (level.get(i.code) ?? 0) !== i.level);
  if (!changed.length) return { items: rows.length, changed: 0 };
  await uow.query(
    `update erp.items i set standard_cost = u.cost, low_level_code = u.level, updated_at = now()
       from unnest($1::text[], $2::numeric[], $3::int[]) as u(code, cost, level) where i.code = u.code`,
    [changed.map((i) => i.code), changed.map((i) => cost.get(i.code)), changed.map((i) => level.get(i.code) ?? 0)],
  );
  if ('audit' in uow) uow.audit({ action: 'roll_up', entity: 'standard_cost', ref: 'all', after: { items: rows.length, changed: changed.length } });
  const costChanged = changed.filter((i) => cost.get(i.code) !== i.standardCost);
  if (costChanged.length && 'emit' in uow)
    uow.emit(
      'SyncMaterialDefinition',
      { items: costChanged.map(({ code, row }) => ({ code, name: row.name, kind: row.kind, uom: row.uom, standardCost: cost.get(code)!, leadTimeDays: Number(row.lead_time_days) })) },
      { correlationId: null },
    );
  return { items: rows.length, changed: changed.length };
}
