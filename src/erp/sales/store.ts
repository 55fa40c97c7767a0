import { conflict, notFound, num, type Queryable } from '../../platform/index.ts';
import { instant } from '../shared.ts';
import { canMove, progressByStandard, type OrderStatus, type WorkDone } from './model.ts';

export interface OrderLine {
  lineNo: number;
  itemCode: string;
  qty: number;
  dueDate: string;
  bomVersion: number | null;
  status: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  /** Capable-to-promise date given at release (the first finite-capacity plan's end). */
  promiseDate: string | null;
  producedQty: number;
  scrappedQty: number;
  shippedQty: number;
  progress: number;
  changeStatus: 'pending' | 'accepted' | 'rejected' | null;
  changeReason: string | null;
  standard: { material: number; labor: number; machine: number };
  /** The unit and quantity the line was ordered in, when not its stock unit (`qty` is in stock units). */
  orderedUom: string | null;
  orderedQty: number | null;
}

/** A row of erp.sales_orders. */
export interface SalesOrderRow {
  id: string;
  customer: string;
  status: OrderStatus;
  created_at: Date;
  released_at: Date | null;
  completed_at: Date | null;
  shipped_at: Date | null;
  cancelled_at: Date | null;
}

/** A row of erp.sales_order_lines, with its dates as text (`due_date::text as due`, `promise_date::text as promise`). */
export interface SalesOrderLineRow {
  order_id: string;
  line_no: number;
  item_code: string;
  qty: string;
  due_date: Date;
  due: string;
  promise_date: Date | null;
  promise: string | null;
  bom_version: number | null;
  status: string;
  planned_start: Date | null;
  planned_end: Date | null;
  produced_qty: string;
  scrapped_qty: string;
  shipped_qty: string;
  standard_material: string | null;
  standard_labor: string;
  standard_machine: string;
  change_status: 'pending' | 'accepted' | 'rejected' | null;
  change_reason: string | null;
  ordered_uom: string | null;
  ordered_qty: string | null;
}

/** A row of erp.sales_order_changes, with its due date as text (`due_date::text as due`). */
export interface SalesOrderChangeRow {
  id: string;
  order_id: string;
  line_no: number | null;
  kind: 'change' | 'cancel';
  qty: string | null;
  due_date: Date | null;
  due: string | null;
  status: 'pending' | 'accepted' | 'rejected';
  reason: string | null;
  requested_at: Date;
  answered_at: Date | null;
}

/** A row of erp.work_orders (the ERP's projection of the MES's work orders). */
export interface ErpWorkOrderRow {
  id: string;
  sales_order_id: string | null;
  line_no: number | null;
  item_code: string;
  qty: string;
  parent_work_order: string | null;
  top: boolean;
  planned_start: Date | null;
  planned_end: Date | null;
  good_qty: string;
  scrap_qty: string;
  received_qty: string;
  status: string;
  standard_minutes: string | null;
}

/** The columns of a line's work orders that progress by standard hours needs. */
type WorkDoneRow = Pick<ErpWorkOrderRow, 'standard_minutes' | 'qty' | 'good_qty' | 'status'> & { line_no: number };

/** The work orders of an order's lines, as progress by standard hours counts them. */
async function workDone(q: Queryable, salesOrderId: string): Promise<Map<number, WorkDone[]>> {
  const rows = await q.query<WorkDoneRow>(
    'select line_no, standard_minutes, qty, good_qty, status from erp.work_orders where sales_order_id = $1 and line_no is not null',
    [salesOrderId],
  );
  const out = new Map<number, WorkDone[]>();
  for (const r of rows) {
    const no = Number(r.line_no);
    out.set(no, [...(out.get(no) ?? []), { standardMinutes: r.standard_minutes === null ? null : num(r.standard_minutes), qty: num(r.qty), goodQty: num(r.good_qty), status: r.status }]);
  }
  return out;
}

export interface SalesOrder {
  id: string;
  customer: string;
  status: OrderStatus;
  createdAt: string;
  releasedAt: string | null;
  completedAt: string | null;
  shippedAt: string | null;
  lines: OrderLine[];
}

export async function orderOf(q: Queryable, id: string, lock = false): Promise<SalesOrder> {
  const [o] = await q.query<SalesOrderRow>(`select * from erp.sales_orders where id = $1${lock ? ' for update' : ''}`, [id]);
  if (!o) throw notFound('sales order', id);
  const lines = await q.query<SalesOrderLineRow>('select *, due_date::text as due, promise_date::text as promise from erp.sales_order_lines where order_id = $1 order by line_no', [id]);
  const done = await workDone(q, id);
  return {
    id: o.id,
    customer: o.customer,
    status: o.status,
    createdAt: instant(o.created_at)!,
    releasedAt: instant(o.released_at),
    completedAt: instant(o.completed_at),
    shippedAt: instant(o.shipped_at),
    lines: lines.map((l) => ({
      lineNo: Number(l.line_no),
      itemCode: l.item_code,
      qty: num(l.qty),
      dueDate: l.due,
      bomVersion: l.bom_version === null ? null : Number(l.bom_version),
      status: l.status,
      plannedStart: instant(l.planned_start),
      plannedEnd: instant(l.planned_end),
      promiseDate: l.promise ?? null,
      producedQty: num(l.produced_qty),
      scrappedQty: num(l.scrapped_qty),
      shippedQty: num(l.shipped_qty),
      progress: progressByStandard(done.get(Number(l.line_no)) ?? [], num(l.produced_qty), num(l.qty)),
      orderedUom: l.ordered_uom ?? null,
      orderedQty: l.ordered_qty === null ? null : num(l.ordered_qty),
      changeStatus: l.change_status,
      changeReason: l.change_reason,
      standard: { material: num(l.standard_material), labor: num(l.standard_labor), machine: num(l.standard_machine) },
    })),
  };
}

/** The contract's view of an order. */
export const orderView = (o: SalesOrder) => ({
  id: o.id,
  customer: o.customer,
  status: o.status,
  createdAt: o.createdAt,
  releasedAt: o.releasedAt,
  completedAt: o.completedAt,
  shippedAt: o.shippedAt,
  lines: o.lines.map((l) => ({
    lineNo: l.lineNo,
    itemCode: l.itemCode,
    qty: l.qty,
    dueDate: l.dueDate,
    bomVersion: l.bomVersion,
    plannedStart: l.plannedStart,
    plannedEnd: l.plannedEnd,
    promiseDate: l.promiseDate,
    producedQty: l.producedQty,
    scrappedQty: l.scrappedQty,
    shippedQty: l.shippedQty,
    progress: l.progress,
    ...(l.orderedUom ? { uom: l.orderedUom, orderedQty: l.orderedQty } : {}),
    changeStatus: l.changeStatus,
    changeReason: l.changeReason,
  })),
});

/** Moves an order along its transition table (409 for a move the table does not have). */
export function assertOrderMove(o: { status: OrderStatus }, to: OrderStatus) {
  if (!canMove(o.status, to)) throw conflict(`a ${o.status} sales order cannot become ${to}`, { status: o.status, to });
}

export async function moveOrder(q: Queryable, o: { id: string; status: OrderStatus }, to: OrderStatus) {
  assertOrderMove(o, to);
  const stamp = { released: 'released_at', completed: 'completed_at', shipped: 'shipped_at', cancelled: 'cancelled_at' }[to as string];
  await q.query(`update erp.sales_orders set status = $2${stamp ? `, ${stamp} = now()` : ''} where id = $1`, [o.id, to]);
}

export async function listOrders(q: Queryable, f: { status?: string; customer?: string }) {
  const rows = await q.query<Pick<SalesOrderRow, 'id'>>(
    `select id from erp.sales_orders where ($1::text is null or status = $1) and ($2::text is null or customer = $2) order by created_at desc, id desc limit 500`,
    [f.status ?? null, f.customer ?? null],
  );
  const out = [];
  for (const r of rows) out.push(orderView(await orderOf(q, r.id)));
  return out;
}
