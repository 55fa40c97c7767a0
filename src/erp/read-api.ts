import { num, type Queryable } from '../platform/index.ts';
import { edgesInForce } from './boms/store.ts';
import type { LotRow, StockBalanceRow } from './inventory/store.ts';
import { listItems } from './items/store.ts';
import type { ErpWorkOrderRow, SalesOrderLineRow, SalesOrderRow } from './sales/store.ts';

/**
 * What planning needs of the ERP: items with lead time, lot sizing, safety stock and reorder data;
 * the BOMs in force; demands (open released order lines not yet produced); available stock;
 * scheduled receipts (open purchase order lines and open requisitions).
 */
export async function erpPlanningInputs(q: Queryable) {
  const items = (await listItems(q)).map((i) => ({
    code: i.code,
    kind: i.kind,
    leadTimeDays: i.leadTimeDays,
    lotSizing: i.lotSizeRule === 'lot-for-lot' || i.lotSize === null ? { rule: 'lot-for-lot' as const } : { rule: i.lotSizeRule, qty: i.lotSize },
    safetyStock: i.safetyStock,
    purchased: i.kind === 'raw',
    reorderPoint: i.reorderPoint,
    reorderQty: i.reorderQty,
    standardCost: i.standardCost,
    lowLevelCode: i.lowLevelCode,
  }));
  const boms = new Map<string, { parent: string; components: { itemCode: string; qty: number; scrapFactor: number }[] }>();
  for (const e of await edgesInForce(q)) {
    const b = boms.get(e.parent) ?? { parent: e.parent, components: [] };
    b.components.push({ itemCode: e.component, qty: e.qty, scrapFactor: e.scrapFactor });
    boms.set(e.parent, b);
  }
  const demandRows = await q.query<Pick<SalesOrderLineRow, 'order_id' | 'line_no' | 'item_code' | 'due'> & { open_qty: string }>(
    `select l.order_id, l.line_no, l.item_code, l.qty - l.produced_qty as open_qty, l.due_date::text as due
       from erp.sales_order_lines l join erp.sales_orders o on o.id = l.order_id
      where o.status in ('released', 'in_production') and l.status = 'open' and l.qty > l.produced_qty order by l.due_date, l.order_id, l.line_no`,
  );
  const stockRows = await q.query<Pick<StockBalanceRow, 'item_code' | 'qty'>>(`select item_code, sum(qty) as qty from erp.stock_balances where status = 'available' group by item_code having sum(qty) > 0 order by item_code`);
  const receiptRows = await q.query<{ item_code: string; qty: string; due: string; ref: string }>(
    `select l.item_code, l.qty - l.received_qty as qty, coalesce(l.due_date, current_date)::text as due, l.order_id || '/' || l.line_no as ref
       from erp.purchase_order_lines l join erp.purchase_orders o on o.id = l.order_id where o.status = 'open' and l.qty > l.received_qty
     union all
     select item_code, qty, coalesce(need_date, current_date)::text, id from erp.purchase_requisitions where status = 'open'
     order by 3, 4`,
  );
  const woRows = await q.query<
    Pick<ErpWorkOrderRow, 'id' | 'sales_order_id' | 'line_no' | 'item_code' | 'qty' | 'good_qty' | 'parent_work_order' | 'planned_start' | 'planned_end'>
  >(
    `select id, sales_order_id, line_no, item_code, qty, good_qty, parent_work_order, planned_start, planned_end from erp.work_orders
      where status not in ('completed', 'cancelled') order by id`,
  );
  return {
    items,
    boms: [...boms.values()],
    /** The ERP's projection of open work orders (their remaining output and material are still to come). */
    openWorkOrders: woRows.map((r) => ({
      id: r.id,
      salesOrderId: r.sales_order_id,
      lineNo: r.line_no === null ? null : Number(r.line_no),
      itemCode: r.item_code,
      qty: num(r.qty),
      goodQty: num(r.good_qty),
      parentWorkOrder: r.parent_work_order,
      plannedStart: r.planned_start ? r.planned_start.toISOString() : null,
      plannedEnd: r.planned_end ? r.planned_end.toISOString() : null,
    })),
    demands: demandRows.map((r) => ({ itemCode: r.item_code, qty: num(r.open_qty), dueDate: r.due, ref: `${r.order_id}/${r.line_no}` })),
    onHand: stockRows.map((r) => ({ itemCode: r.item_code, qty: num(r.qty) })),
    scheduledReceipts: receiptRows.map((r) => ({ itemCode: r.item_code, qty: num(r.qty), dueDate: r.due, ref: r.ref })),
  };
}

/** The ERP's side of a reconciliation with the MES: order lines, its work-order projection, lots, issues. */
export async function erpReconcileView(q: Queryable) {
  const lines = await q.query<Pick<SalesOrderLineRow, 'order_id' | 'line_no' | 'item_code' | 'qty' | 'produced_qty'> & { line_status: string; status: SalesOrderRow['status'] }>(
    `select l.order_id, l.line_no, l.item_code, l.qty, l.produced_qty, l.status as line_status, o.status from erp.sales_order_lines l
       join erp.sales_orders o on o.id = l.order_id order by l.order_id, l.line_no`,
  );
  const wos = await q.query<Pick<ErpWorkOrderRow, 'id' | 'sales_order_id' | 'line_no' | 'item_code' | 'qty' | 'good_qty' | 'scrap_qty' | 'received_qty' | 'status'>>(
    'select id, sales_order_id, line_no, item_code, qty, good_qty, scrap_qty, received_qty, status from erp.work_orders order by id',
  );
  const lots = await q.query<Pick<LotRow, 'item_code' | 'lot' | 'status'> & { on_hand: string }>(
    `select l.item_code, l.lot, l.status, coalesce(sum(b.qty), 0) as on_hand from erp.lots l
       left join erp.stock_balances b on b.item_code = l.item_code and b.lot = l.lot group by l.item_code, l.lot, l.status order by l.item_code, l.lot`,
  );
  const issues = await q.query<{ work_order_id: string; item_code: string; lot: string; qty: string }>(
    `select work_order_id, item_code, lot, -sum(qty) as qty from erp.stock_moves where kind = 'issue' and work_order_id is not null
      group by work_order_id, item_code, lot order by work_order_id, item_code, lot`,
  );
  return {
    orderLines: lines.map((r) => ({ salesOrderId: r.order_id, lineNo: Number(r.line_no), itemCode: r.item_code, qty: num(r.qty), producedQty: num(r.produced_qty), status: r.status, lineStatus: r.line_status })),
    workOrders: wos.map((r) => ({ id: r.id, salesOrderId: r.sales_order_id, lineNo: r.line_no === null ? null : Number(r.line_no), itemCode: r.item_code, qty: num(r.qty), producedQty: num(r.good_qty), scrapQty: num(r.scrap_qty), receivedQty: num(r.received_qty), status: r.status })),
    lots: lots.map((r) => ({ itemCode: r.item_code, lot: r.lot, status: r.status, onHand: num(r.on_hand) })),
    issued: issues.map((r) => ({ workOrderId: r.work_order_id, itemCode: r.item_code, lot: r.lot, qty: num(r.qty) })),
  };
}

/**
 * Facts for the cockpit's KPIs over [from, to): orders shipped on time vs late (against the latest
 * due date of their lines), delivery cycle days (order to shipment), inventory value (on hand ×
 * moving average), cost of goods sold (for turnover), open orders.
 */
export async function erpKpiFacts(q: Queryable, range: { from: string | Date; to: string | Date }) {
  const from = new Date(range.from).toISOString();
  const to = new Date(range.to).toISOString();
  const shipped = await q.query<Pick<SalesOrderRow, 'id' | 'created_at'> & { shipped_at: Date; due: string }>(
    `select o.id, o.created_at, o.shipped_at, (select max(due_date) from erp.sales_order_lines l where l.order_id = o.id)::text as due
       from erp.sales_orders o where o.status = 'shipped' and o.shipped_at >= $1 and o.shipped_at < $2`,
    [from, to],
  );
  let onTime = 0;
  let cycleDays = 0;
  for (const r of shipped) {
    if (r.shipped_at.toISOString().slice(0, 10) <= r.due) onTime++;
    cycleDays += (r.shipped_at.getTime() - r.created_at.getTime()) / 86_400_000;
  }
  const [value] = await q.query<{ value: string }>(
    `select coalesce(sum(b.qty * i.avg_cost), 0) as value from erp.stock_balances b join erp.items i on i.code = b.item_code where b.qty > 0`,
  );
  const [cogs] = await q.query<{ cogs: string }>(
    `select coalesce(sum(-m.qty * m.unit_cost), 0) as cogs from erp.stock_moves m where m.kind = 'shipment' and m.at >= $1 and m.at < $2`,
    [from, to],
  );
  const [open] = await q.query<{ n: number }>(`select count(*)::int as n from erp.sales_orders where status in ('released', 'in_production', 'completed')`);
  return {
    from,
    to,
    ordersShipped: shipped.length,
    shippedOnTime: onTime,
    shippedLate: shipped.length - onTime,
    meanDeliveryCycleDays: shipped.length ? Math.round((cycleDays / shipped.length) * 100) / 100 : null,
    inventoryValue: num(value.value),
    costOfGoodsSold: num(cogs.cogs),
    openOrders: Number(open.n),
  };
}


export interface DeliveryStates {
  onTime: number;
  atRisk: number;
  late: number;
  delivered: number;
}

/**
 * Sales-order lines by delivery state, counted where they live (the cockpit's chart, which used to
 * read every order): an order shipped or completed since `since` is delivered; a line of an open
 * order is late once its due day has passed (UTC, as the web's rule), at risk when planned to end
 * after its due day, else on time. Cancelled orders do not count.
 */
export async function erpDeliveryStates(q: Queryable, at: { now: Date; since: Date }): Promise<DeliveryStates> {
  const rows = await q.query<{ state: keyof DeliveryStates; n: number }>(
    `select state, count(*)::int as n from (
       select case when o.status in ('shipped', 'completed') then 'delivered'
                   when l.due_date < ($1::timestamptz at time zone 'UTC')::date then 'late'
                   when l.planned_end is not null and (l.planned_end at time zone 'UTC')::date > l.due_date then 'atRisk'
                   else 'onTime' end as state
         from erp.sales_orders o join erp.sales_order_lines l on l.order_id = o.id
        where o.status not in ('cancelled', 'shipped', 'completed') or coalesce(o.shipped_at, o.completed_at) >= $2) s
      group by state`,
    [at.now.toISOString(), at.since.toISOString()],
  );
  const out: DeliveryStates = { onTime: 0, atRisk: 0, late: 0, delivered: 0 };
  for (const r of rows) out[r.state] = r.n;
  return out;
}
