import { z } from 'zod';

/** The kinds of codes an outside system has its own of. */
export const CODE_KINDS = ['item', 'uom', 'workCenter', 'customer', 'supplier', 'plant'] as const;
export const CodeKind = z.enum(CODE_KINDS);
export type CodeKind = z.infer<typeof CodeKind>;

/** Limits of one PUT of a code map. */
export const CODE_MAP_LIMITS = { rows: 20_000, bytes: 2 * 1024 * 1024 } as const;

export interface CodeMapRow {
  external: string;
  internal: string;
  /** uom rows: 1 external unit = factor internal units. */
  factor?: number;
}

/** A row error, numbered as a spreadsheet numbers it (header = row 1) or, for JSON, the position in the array from 1. */
export interface RowError {
  row: number;
  field: string | null;
  message: string;
}

const code = z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters');
const cellText = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), code);
const factor = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v),
  z.number({ error: 'must be a number' }).finite().positive('must be greater than 0').optional(),
);
const RowShape = z.object({ external: cellText, internal: cellText, factor });

/**
 * Checks the rows of a code map, all of them: fields, factor (required and > 0 for `uom` rows,
 * absent for the others), an external code given twice. Answers the valid rows or every error.
 */
export function checkCodeMapRows(kind: CodeKind, rows: { row: number; cells: Record<string, unknown> }[]): { rows: CodeMapRow[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const valid: CodeMapRow[] = [];
  const seen = new Map<string, number>();
  if (rows.length > CODE_MAP_LIMITS.rows) return { rows: [], errors: [{ row: 1, field: null, message: `at most ${CODE_MAP_LIMITS.rows} rows per code map` }] };
  for (const r of rows) {
    const extra = Object.keys(r.cells).filter((k) => !['external', 'internal', 'factor'].includes(k));
    for (const k of extra) errors.push({ row: r.row, field: k, message: `unknown field ${k} (fields: external, internal, factor)` });
    const parsed = RowShape.safeParse(r.cells);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        errors.push({ row: r.row, field, message: r.cells[field] === undefined ? `${field} is missing` : `${field} ${issue.message}` });
      }
      continue;
    }
    const v = parsed.data;
    if (kind === 'uom' && v.factor === undefined) errors.push({ row: r.row, field: 'factor', message: 'a uom row needs its factor (1 external unit = factor internal units)' });
    if (kind !== 'uom' && v.factor !== undefined) errors.push({ row: r.row, field: 'factor', message: `factor is for uom rows only, not ${kind}` });
    const first = seen.get(v.external);
    if (first !== undefined) errors.push({ row: r.row, field: 'external', message: `${v.external} appears twice (also row ${first})` });
    seen.set(v.external, r.row);
    valid.push(kind === 'uom' ? v : { external: v.external, internal: v.internal });
  }
  return { rows: valid, errors: errors.sort((a, b) => a.row - b.row) };
}

/** A JSON body as numbered rows (from 1); anything but an array of objects is one error. */
export function jsonRows(body: unknown): { row: number; cells: Record<string, unknown> }[] | RowError {
  if (!Array.isArray(body)) return { row: 1, field: null, message: 'send an array of {external, internal, factor?}, or a CSV/xlsx file' };
  const rows: { row: number; cells: Record<string, unknown> }[] = [];
  for (const [i, v] of body.entries()) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { row: i + 1, field: null, message: 'each row is an object {external, internal, factor?}' };
    rows.push({ row: i + 1, cells: v as Record<string, unknown> });
  }
  return rows;
}
