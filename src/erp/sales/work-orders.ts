import { num, type Queryable } from '../../platform/index.ts';
import { instant } from '../shared.ts';
import type { ErpWorkOrderRow } from './store.ts';

export interface PlannedWorkOrder {
  id: string;
  itemCode: string;
  qty: number;
  parentWorkOrder: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  /** Setup + minutes per unit × qty over its operations, as the MES acknowledged it. */
  standardMinutes?: number;
  /** Where the MES stages its material (the first work centre's supply warehouse). */
  supplyWarehouse?: string | null;
}

/** The ERP's projection of order lines' work orders, as the MES announced them (one statement for any number of lines). */
export async function upsertWorkOrders(q: Queryable, wos: (PlannedWorkOrder & { salesOrderId: string | null; lineNo: number | null })[]) {
  if (!wos.length) return;
  await q.query(
    `insert into erp.work_orders as w (id, sales_order_id, line_no, item_code, qty, parent_work_order, top, planned_start, planned_end, standard_minutes, supply_warehouse)
     select u.id, u.so, u.line, u.item_code, u.qty, u.parent, u.parent is null, u.ps, u.pe, u.minutes, u.supply
       from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::numeric[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::numeric[], $10::text[])
         as u(id, so, line, item_code, qty, parent, ps, pe, minutes, supply)
     on conflict (id) do update set qty = excluded.qty, parent_work_order = excluded.parent_work_order, top = excluded.top,
       planned_start = excluded.planned_start, planned_end = excluded.planned_end,
       standard_minutes = coalesce(excluded.standard_minutes, w.standard_minutes), supply_warehouse = excluded.supply_warehouse,
       sales_order_id = coalesce(excluded.sales_order_id, w.sales_order_id), line_no = coalesce(excluded.line_no, w.line_no)`,
    [
      wos.map((w) => w.id),
      wos.map((w) => w.salesOrderId),
      wos.map((w) => w.lineNo),
      wos.map((w) => w.itemCode),
      wos.map((w) => w.qty),
      wos.map((w) => w.parentWorkOrder),
      wos.map((w) => w.plannedStart),
      wos.map((w) => w.plannedEnd),
      wos.map((w) => w.standardMinutes ?? null),
      wos.map((w) => w.supplyWarehouse ?? null),
    ],
  );
}

export interface WorkOrderView {
  id: string;
  salesOrderId: string | null;
  lineNo: number | null;
  itemCode: string;
  qty: number;
  parentWorkOrder: string | null;
  top: boolean;
  plannedStart: string | null;
  plannedEnd: string | null;
  goodQty: number;
  scrapQty: number;
  receivedQty: number;
  status: string;
}

const view = (r: ErpWorkOrderRow): WorkOrderView => ({
  id: r.id,
  salesOrderId: r.sales_order_id,
  lineNo: r.line_no === null ? null : Number(r.line_no),
  itemCode: r.item_code,
  qty: num(r.qty),
  parentWorkOrder: r.parent_work_order,
  top: r.top,
  plannedStart: instant(r.planned_start),
  plannedEnd: instant(r.planned_end),
  goodQty: num(r.good_qty),
  scrapQty: num(r.scrap_qty),
  receivedQty: num(r.received_qty),
  status: r.status,
});

export async function workOrdersOf(q: Queryable, salesOrderId: string, lineNo?: number): Promise<WorkOrderView[]> {
  const rows = await q.query<ErpWorkOrderRow>(
    'select * from erp.work_orders where sales_order_id = $1 and ($2::int is null or line_no = $2) order by line_no, top desc, id',
    [salesOrderId, lineNo ?? null],
  );
  return rows.map(view);
}

export async function workOrderById(q: Queryable, id: string): Promise<WorkOrderView | null> {
  const [r] = await q.query<ErpWorkOrderRow>('select * from erp.work_orders where id = $1', [id]);
  return r ? view(r) : null;
}

/** Material issued to work orders, by lot, from the ledger (issues are negative moves). */
export async function issuedTo(q: Queryable, workOrderIds: string[]) {
  const rows = await q.query<{ work_order_id: string; item_code: string; lot: string; qty: string; value: string }>(
    `select work_order_id, item_code, lot, -sum(qty) as qty, -sum(qty * unit_cost) as value from erp.stock_moves
      where kind = 'issue' and work_order_id = any($1) group by work_order_id, item_code, lot order by work_order_id, item_code, lot`,
    [workOrderIds],
  );
  return rows.map((r) => ({ workOrderId: r.work_order_id, itemCode: r.item_code, lot: r.lot, qty: num(r.qty), value: num(r.value) }));
}
