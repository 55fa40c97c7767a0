/** Spreadsheets in and out (CSV and .xlsx): ERP imports and exports, outside systems' code maps. */
export { MAX_SHEET_ROWS, readCsv, readXlsx, writeCsv, type Sheet } from './sheet.ts';
