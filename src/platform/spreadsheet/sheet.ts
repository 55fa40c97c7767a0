import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { AppError, badRequest, messageOf } from '../kernel/index.ts';
import { checkZip } from './zip-guard.ts';

/** Data rows a spreadsheet may have (bytes are bounded by the HTTP body limit; zips by zip-guard). */
export const MAX_SHEET_ROWS = 50_000;

const tooManyRows = (n: number) =>
  new AppError('payload_too_large', `the file has more than ${MAX_SHEET_ROWS} data rows (${n}); split it`, { rows: n, maxRows: MAX_SHEET_ROWS });

/** A data row of a spreadsheet: its number as the spreadsheet shows it (header = 1) and its cells by header. */
export interface SheetRow {
  row: number;
  cells: Record<string, string | number | boolean | undefined>;
}

export interface Sheet {
  header: string[];
  rows: SheetRow[];
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** A CSV text (header row = the field names) as rows; a record is a row, as a spreadsheet numbers it. */
export function readCsv(text: string): Sheet {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: false, trim: true });
  } catch (e: unknown) {
    throw badRequest(`not valid CSV: ${messageOf(e)}`);
  }
  if (records.length - 1 > MAX_SHEET_ROWS) throw tooManyRows(records.length - 1);
  const [head = [], ...body] = records;
  const header = head.map((h) => String(h).trim());
  const rows: SheetRow[] = [];
  body.forEach((rec, i) => {
    if (rec.every(blank)) return;
    const cells: SheetRow['cells'] = {};
    header.forEach((h, k) => (cells[h] = blank(rec[k]) ? undefined : rec[k]));
    rows.push({ row: i + 2, cells });
  });
  return { header, rows };
}

function cellValue(v: ExcelJS.CellValue): string | number | boolean | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('result' in v) return cellValue(v.result);
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('error' in v) return undefined;
    return String(v);
  }
  if (typeof v === 'string' && v.trim() === '') return undefined;
  return typeof v === 'string' ? v.trim() : v;
}

/** The first worksheet of an .xlsx workbook as rows, numbered as the spreadsheet numbers them. */
export async function readXlsx(buffer: Buffer): Promise<Sheet> {
  await checkZip(buffer);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer); // its typings say an ArrayBuffer; it reads a Node Buffer
  } catch (e: unknown) {
    throw badRequest(`not a valid .xlsx workbook: ${messageOf(e)}`);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw badRequest('the workbook has no worksheet');
  if (ws.rowCount - 1 > MAX_SHEET_ROWS) throw tooManyRows(ws.rowCount - 1);
  const header: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (header[col - 1] = String(cellValue(cell.value) ?? '').trim()));
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (n === 1) return;
    const cells: SheetRow['cells'] = {};
    header.forEach((h, k) => (cells[h] = cellValue(row.getCell(k + 1).value)));
    if (Object.values(cells).every(blank)) return;
    rows.push({ row: n, cells });
  });
  return { header, rows };
}

/**
 * A CSV text of rows (RFC 4180 quoting). A text cell starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return would be run as a formula by a spreadsheet program: it is written with a
 * leading `'` (numbers are written as numbers, negative ones included).
 */
export function writeCsv(header: string[], rows: Record<string, unknown>[]): string {
  const esc = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header.join(','), ...rows.map((r) => header.map((h) => esc(r[h])).join(','))].join('\r\n') + '\r\n';
}
