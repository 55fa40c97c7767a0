import { mesKnownItems, mesKnownPlants, mesKnownWorkCenters } from '../../mes/index.ts';
import { unprocessable, type Queryable, type UnitOfWork } from '../../platform/index.ts';
import type { Sheet } from '../../platform/spreadsheet/index.ts';
import { checkCodeMapRows, jsonRows, type CodeKind, type CodeMapRow, type RowError } from './code-maps-model.ts';
import { codeMapRows, replaceCodeMap } from './code-maps-store.ts';
import { requireSystem } from './service.ts';

const refused = (errors: RowError[]) => unprocessable(`${errors.length} row error(s): the code map is unchanged`, { rows: errors });

/**
 * Internal codes Closeloop knows are checked to exist: items and work centres (and plants) through
 * the MES door. Units, customers and suppliers are taken as written (the unit is checked against
 * the item's stock unit when a request uses it).
 */
async function unknownInternal(q: Queryable, kind: CodeKind, codes: string[]): Promise<Set<string>> {
  const wanted = [...new Set(codes)];
  let known: Set<string>;
  if (kind === 'item') known = new Set((await mesKnownItems(q, wanted)).keys());
  else if (kind === 'workCenter') known = await mesKnownWorkCenters(q, wanted);
  else if (kind === 'plant') known = await mesKnownPlants(q, wanted);
  else return new Set();
  return new Set(wanted.filter((c) => !known.has(c)));
}

/** PUT of a kind's whole map, from JSON rows or a spreadsheet: all rows valid, or 422 with every row error and nothing changed. */
export async function putCodeMap(uow: UnitOfWork, system: string, kind: CodeKind, source: { json: unknown } | { sheet: Sheet }) {
  await requireSystem(uow, system);
  let numbered: { row: number; cells: Record<string, unknown> }[];
  if ('sheet' in source) {
    const header = source.sheet.header.filter((h) => h !== '');
    const errors: RowError[] = [];
    for (const h of header) if (!['external', 'internal', 'factor'].includes(h)) errors.push({ row: 1, field: h, message: `unknown column ${h} (columns: external, internal, factor)` });
    for (const h of ['external', 'internal']) if (!header.includes(h)) errors.push({ row: 1, field: h, message: `column ${h} is missing` });
    if (errors.length) throw refused(errors);
    numbered = source.sheet.rows.map((r) => ({ row: r.row, cells: Object.fromEntries(Object.entries(r.cells).filter(([k, v]) => k !== '' && v !== undefined)) }));
  } else {
    const rows = jsonRows(source.json);
    if (!Array.isArray(rows)) throw refused([rows]);
    numbered = rows;
  }
  const { rows, errors } = checkCodeMapRows(kind, numbered);
  if (!errors.length) {
    const unknown = await unknownInternal(uow, kind, rows.map((r) => r.internal));
    rows.forEach((r, i) => {
      if (unknown.has(r.internal)) errors.push({ row: numbered[i].row, field: 'internal', message: `${kind} ${r.internal} is unknown to Closeloop` });
    });
  }
  if (errors.length) throw refused(errors);
  const before = await codeMapRows(uow, system, kind);
  await replaceCodeMap(uow, system, kind, rows);
  uow.audit({ action: 'replace', entity: 'integration_code_map', ref: `${system}/${kind}`, before: { rows: before.length }, after: { rows: rows.length } });
  return rows.sort((a, b) => (a.external < b.external ? -1 : a.external > b.external ? 1 : 0));
}

export async function getCodeMap(q: Queryable, system: string, kind: CodeKind): Promise<CodeMapRow[]> {
  await requireSystem(q, system);
  return codeMapRows(q, system, kind);
}
