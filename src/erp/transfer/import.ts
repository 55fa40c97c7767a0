import { isAppError, unprocessable, type UnitOfWork } from '../../platform/index.ts';
import { putBom, rollUpStandardCosts } from '../boms/service.ts';
import { bomOf } from '../boms/store.ts';
import { receiveInUnits } from '../inventory/service.ts';
import { changeItem, createItem } from '../items/service.ts';
import { findItem, type ItemRow } from '../items/store.ts';
import { upsertPartner } from '../partners/service.ts';
import { columnsOf, ENTITIES, requiredOf, type Entity, type EntityRow } from './entities.ts';
import type { Sheet } from '../../platform/spreadsheet/index.ts';

export interface RowError {
  row: number;
  field: string | null;
  message: string;
}

/**
 * Imports a sheet of one entity, all or nothing: every row is validated first (field errors with
 * the row as a spreadsheet numbers it), then applied in the caller's one transaction; any error
 * refuses the whole file with 422 and `details.rows`.
 */
export async function importSheet<E extends Entity>(uow: UnitOfWork, entity: E, sheet: Sheet) {
  const errors: RowError[] = [];
  const cols = columnsOf(entity);
  for (const h of sheet.header) if (h && !cols.includes(h)) errors.push({ row: 1, field: h, message: `unknown column ${h} (columns: ${cols.join(', ')})` });
  for (const r of requiredOf(entity)) if (!sheet.header.includes(r)) errors.push({ row: 1, field: r, message: `column ${r} is missing` });
  if (errors.length) throw refused(errors);
  const spec: (typeof ENTITIES)[Entity] = ENTITIES[entity];
  const valid: Valid<E>[] = [];
  const seen = new Map<string, number>();
  for (const r of sheet.rows) {
    const parsed = spec.row.safeParse(r.cells);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ row: r.row, field: String(issue.path[0] ?? ''), message: issue.message });
      continue;
    }
    if (spec.key) {
      const k = String((parsed.data as Record<string, unknown>)[spec.key]);
      const first = seen.get(k);
      if (first !== undefined) errors.push({ row: r.row, field: spec.key, message: `${k} appears twice (also row ${first})` });
      seen.set(k, r.row);
    }
    // the schema is ENTITIES[entity].row: what it parsed is that entity's row
    valid.push({ row: r.row, value: parsed.data as EntityRow<E> });
  }
  if (!sheet.rows.length) errors.push({ row: 2, field: null, message: 'the file has no data rows' });
  if (errors.length) throw refused(errors);

  const apply: Apply<E> = APPLY[entity];
  await apply(uow, valid, errors);
  if (errors.length) throw refused(errors);
  uow.audit({ action: 'import', entity, ref: entity, after: { rows: valid.length } });
  return { imported: valid.length };
}

const refused = (rows: RowError[]) => unprocessable(`${rows.length} row error(s): nothing imported`, { rows: rows.sort((a, b) => a.row - b.row) });

/** Runs a row's use case; a refusal of the domain becomes that row's error (SQL failures abort). */
async function rowDo(errors: RowError[], row: number, fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    const field = typeof e.details?.field === 'string' ? e.details.field : null;
    errors.push({ row, field, message: e.message });
  }
}

interface Valid<E extends Entity> {
  row: number;
  value: EntityRow<E>;
}

type Apply<E extends Entity> = (uow: UnitOfWork, rows: Valid<E>[], errors: RowError[]) => Promise<void>;

const APPLY: { [E in Entity]: Apply<E> } = {
  async items(uow, rows, errors) {
    for (const { row, value } of rows)
      await rowDo(errors, row, async () => {
        // fields left empty are left out (a change keeps them, a new item takes the defaults)
        const defined = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as typeof value;
        if (await findItem(uow, value.code)) {
          const { code: _c, ...change } = defined;
          await changeItem(uow, value.code, change);
        } else await createItem(uow, defined);
      });
  },
  async boms(uow, rows, errors) {
    const byParent = new Map<string, Valid<'boms'>[]>();
    for (const r of rows) byParent.set(r.value.parent, [...(byParent.get(r.value.parent) ?? []), r]);
    const codes = [...new Set(rows.flatMap((r) => [r.value.parent, r.value.component]))];
    const known = new Set((await uow.query<Pick<ItemRow, 'code'>>('select code from erp.items where code = any($1)', [codes])).map((r) => r.code));
    for (const r of rows) {
      if (!known.has(r.value.parent)) errors.push({ row: r.row, field: 'parent', message: `unknown item ${r.value.parent}` });
      if (!known.has(r.value.component)) errors.push({ row: r.row, field: 'component', message: `unknown item ${r.value.component}` });
    }
    if (errors.length) return;
    for (const [parent, list] of byParent) {
      const components = list.map((r) => ({ itemCode: r.value.component, qty: r.value.qty, scrapFactor: r.value.scrapFactor ?? 0 }));
      const current = await bomOf(uow, parent);
      if (current && JSON.stringify(current.components) === JSON.stringify(components)) continue; // unchanged: no new version
      await rowDo(errors, list[0].row, () => putBom(uow, parent, { components }, { rollUp: false }));
    }
    if (!errors.length) await rollUpStandardCosts(uow);
  },
  async customers(uow, rows) {
    for (const { value } of rows) await upsertPartner(uow, 'customer', value);
  },
  async suppliers(uow, rows) {
    for (const { value } of rows) await upsertPartner(uow, 'supplier', value);
  },
  async stock(uow, rows, errors) {
    for (const { row, value } of rows)
      await rowDo(errors, row, () => receiveInUnits(uow, value));
  },
};
