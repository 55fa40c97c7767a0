import ExcelJS from 'exceljs';
import { num, type Queryable } from '../../platform/index.ts';
import { columnsOf, type Entity } from './entities.ts';
import { writeCsv } from '../../platform/spreadsheet/index.ts';
import type { BomComponentRow } from '../boms/store.ts';
import type { LotRow, StockBalanceRow } from '../inventory/store.ts';
import type { ItemRow } from '../items/store.ts';
import type { PartnerRow } from '../partners/store.ts';

/** An entity's rows read with its query (rows of type R) and put in the import's columns. */
const exportOf =
  <R extends object>(sql: string, map: (r: R) => Record<string, unknown>) =>
  async (q: Queryable) =>
    (await q.query<R>(sql)).map(map);

const QUERIES: Record<Entity, (q: Queryable) => Promise<Record<string, unknown>[]>> = {
  items: exportOf<ItemRow>(
    'select * from erp.items order by code',
    (r) => ({ code: r.code, name: r.name, kind: r.kind, uom: r.uom, standardCost: num(r.standard_cost), leadTimeDays: r.lead_time_days, reorderPoint: r.reorder_point === null ? null : num(r.reorder_point), reorderQty: r.reorder_qty === null ? null : num(r.reorder_qty), lotControlled: r.lot_controlled, inspectOnReceipt: r.inspect_on_receipt }),
  ),
  boms: exportOf<Pick<BomComponentRow, 'item_code' | 'component_code' | 'qty' | 'scrap_factor'>>(
    `select c.item_code, c.component_code, c.qty, c.scrap_factor from erp.bom_components c
            join (select item_code, max(version) as version from erp.boms group by item_code) b on b.item_code = c.item_code and b.version = c.version
           order by c.item_code, c.position`,
    (r) => ({ parent: r.item_code, component: r.component_code, qty: num(r.qty), scrapFactor: num(r.scrap_factor) }),
  ),
  customers: exportOf<Pick<PartnerRow, 'code' | 'name'>>('select code, name from erp.customers order by code', (r) => ({ ...r })),
  suppliers: exportOf<Pick<PartnerRow, 'code' | 'name'>>('select code, name from erp.suppliers order by code', (r) => ({ ...r })),
  // a lot in the warehouse it lives in (a round trip puts all of it there)
  stock: exportOf<Pick<StockBalanceRow, 'item_code' | 'lot' | 'qty'> & Pick<LotRow, 'supplier' | 'unit_cost' | 'warehouse'>>(
    `select b.item_code, b.lot, sum(b.qty) as qty, l.supplier, l.unit_cost, l.warehouse from erp.stock_balances b
            join erp.lots l on l.item_code = b.item_code and l.lot = b.lot where b.qty > 0
           group by b.item_code, b.lot, l.supplier, l.unit_cost, l.warehouse order by b.item_code, b.lot`,
    (r) => ({ itemCode: r.item_code, qty: num(r.qty), lot: r.lot, supplier: r.supplier, unitCost: num(r.unit_cost), warehouse: r.warehouse }),
  ),
};

/** An entity as CSV in the import's own columns (a round trip imports it again). */
export async function exportCsv(q: Queryable, entity: Entity): Promise<string> {
  return writeCsv(columnsOf(entity), await QUERIES[entity](q));
}

/** The same as an .xlsx workbook (one sheet named after the entity). */
export async function exportXlsx(q: Queryable, entity: Entity): Promise<Buffer> {
  const cols = columnsOf(entity);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(entity);
  ws.addRow(cols);
  for (const r of await QUERIES[entity](q)) ws.addRow(cols.map((c) => r[c] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
