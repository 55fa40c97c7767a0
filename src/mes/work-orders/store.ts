import type { Queryable } from '../../platform/index.ts';
import { containsPattern, forbidden, notFound, num } from '../../platform/index.ts';
import { listsAdmit, unrestricted, type ScopeLists } from '../../platform/index.ts';
import { wireOperationStatus, type OperationStatus, type WorkOrderStatus } from './model.ts';

/** A row of mes.work_orders (execution, views and quality read it too). */
export interface WorkOrderRow {
  id: string;
  item_code: string;
  qty: string;
  qty_per_parent: string | null;
  status: WorkOrderStatus;
  sales_order: string | null;
  line_no: number | null;
  external_ref: string | null;
  external_system: string | null;
  outside_erp: string | null;
  parent_work_order: string | null;
  top: boolean;
  level: number;
  bom_version: number | null;
  bom_as_of: number | null;
  routing_version: number | null;
  pegged_to: string[];
  due_date: Date | null;
  priority: number;
  plant: string;
  uom: string;
  quality_hold: boolean;
  planned_start: Date | null;
  planned_end: Date | null;
  good_qty: string;
  scrap_qty: string;
  started_at: Date | null;
  completed_at: Date | null;
  created_at: Date;
}

/** A row of mes.operations. */
export interface OperationRow {
  id: string;
  work_order_id: string;
  seq: number;
  name: string;
  work_center: string;
  alternatives: string[];
  setup_family: string | null;
  setup_minutes: string;
  minutes_per_unit: string;
  inspection_required: boolean;
  status: OperationStatus;
  good_qty: string;
  scrap_qty: string;
  planned_start: Date | null;
  planned_end: Date | null;
  started_at: Date | null;
  ended_at: Date | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export interface OperationView {
  id: string;
  seq: number;
  name: string;
  workCenter: string;
  status: string;
  paused: boolean;
  inspectionRequired: boolean;
  setupMinutes: number;
  minutesPerUnit: number;
  goodQty: number;
  scrapQty: number;
  plannedStart: string | null;
  plannedEnd: string | null;
  operators: string[];
  /** Work centres the scheduler may use instead (same plant). */
  alternatives: string[];
}

export interface WorkOrderView {
  id: string;
  itemCode: string;
  qty: number;
  status: string;
  salesOrder: string | null;
  lineNo: number | null;
  externalRef: string | null;
  externalSystem: string | null;
  parentWorkOrder: string | null;
  top: boolean;
  plant: string;
  bomVersion: number | null;
  routingVersion: number | null;
  /** Demands a work order made for stock covers (MRP pegging). */
  peggedTo: string[];
  dueDate: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  goodQty: number;
  scrapQty: number;
  qualityHold: boolean;
  outputLots: { lot: string; qty: number; status: string }[];
  operations: OperationView[];
}

export interface WorkOrderFilter {
  salesOrder?: string;
  externalRef?: string;
  status?: string;
  ids?: string[];
  itemCode?: string;
  /** Only released and in-progress ones. */
  open?: boolean;
  /** A page (screens): `q` searches the id, the item and the sales order; without `limit`, up to 5,000 in tree order. */
  q?: string;
  sort?: WorkOrderSort;
  limit?: number;
  offset?: number;
}

export const WORK_ORDER_SORTS = ['id', '-id', 'dueDate', '-dueDate', 'plannedStart', '-plannedStart', 'completedAt', '-completedAt'] as const;
type WorkOrderSort = (typeof WORK_ORDER_SORTS)[number];
/** Ties go by id the same way; work orders without the date come last. */
const ORDER_BY: Record<WorkOrderSort, string> = {
  id: 'id asc',
  '-id': 'id desc',
  dueDate: 'due_date asc nulls last, id asc',
  '-dueDate': 'due_date desc nulls last, id desc',
  plannedStart: 'planned_start asc nulls last, id asc',
  '-plannedStart': 'planned_start desc nulls last, id desc',
  completedAt: 'completed_at asc nulls last, id asc',
  '-completedAt': 'completed_at desc nulls last, id desc',
};
/** Without a page: the whole tree of each order together, as the contract has always listed them. */
const TREE_ORDER = 'sales_order nulls last, line_no nulls last, level, id';

/** Work orders as the contract shows them, filtered by the caller's scope (operations too). */
export async function findWorkOrders(q: Queryable, f: WorkOrderFilter, scope?: ScopeLists): Promise<WorkOrderView[]> {
  const rows = await q.query<WorkOrderRow>(
    `select * from mes.work_orders
      where ($1::text is null or sales_order = $1) and ($2::text is null or external_ref = $2) and ($3::text is null or status = $3)
        and ($4::text[] is null or id = any($4)) and ($5::text is null or item_code = $5) and ($6::text[] is null or plant = any($6))
        and (not $7::boolean or status in ('released', 'in_progress'))
        and ($8::text is null or id ilike $8 or item_code ilike $8 or sales_order ilike $8)
      order by ${f.sort ? ORDER_BY[f.sort] : TREE_ORDER} limit $9 offset $10`,
    [f.salesOrder ?? null, f.externalRef ?? null, f.status ?? null, f.ids ?? null, f.itemCode ?? null, scope?.plants ?? null, f.open ?? false,
      f.q ? containsPattern(f.q) : null, f.limit ?? 5000, f.offset ?? 0],
  );
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [ops, lots] = await Promise.all([
    q.query<OperationRow & { operators: string[] }>(
      `select o.*, coalesce((select array_agg(oo.operator order by oo.joined_at) from mes.operation_operators oo where oo.operation_id = o.id), '{}') as operators
         from mes.operations o where o.work_order_id = any($1::text[]) order by o.work_order_id, o.seq`,
      [ids],
    ),
    q.query<{ lot: string; initial_qty: string; status: string; work_order_id: string }>('select lot, initial_qty, status, work_order_id from mes.lots where work_order_id = any($1::text[]) order by created_at, lot', [ids]),
  ]);
  const opsOf = new Map<string, OperationView[]>();
  for (const o of ops) {
    const v: OperationView = {
      id: o.id,
      seq: o.seq,
      name: o.name,
      workCenter: o.work_center,
      status: wireOperationStatus(o.status),
      paused: o.status === 'paused',
      inspectionRequired: o.inspection_required,
      setupMinutes: num(o.setup_minutes),
      minutesPerUnit: num(o.minutes_per_unit),
      goodQty: num(o.good_qty),
      scrapQty: num(o.scrap_qty),
      plannedStart: iso(o.planned_start),
      plannedEnd: iso(o.planned_end),
      operators: o.operators,
      alternatives: o.alternatives ?? [],
    };
    (opsOf.get(o.work_order_id) ?? opsOf.set(o.work_order_id, []).get(o.work_order_id)!).push(v);
  }
  const lotsOf = new Map<string, WorkOrderView['outputLots']>();
  for (const l of lots)
    (lotsOf.get(l.work_order_id) ?? lotsOf.set(l.work_order_id, []).get(l.work_order_id)!).push({ lot: l.lot, qty: num(l.initial_qty), status: l.status });
  const views = rows.map(
    (r): WorkOrderView => ({
      id: r.id,
      itemCode: r.item_code,
      qty: num(r.qty),
      status: r.status,
      salesOrder: r.sales_order,
      lineNo: r.line_no,
      externalRef: r.external_ref,
      externalSystem: r.external_system,
      parentWorkOrder: r.parent_work_order,
      top: r.top,
      plant: r.plant,
      bomVersion: r.bom_version,
      routingVersion: r.routing_version,
      peggedTo: r.pegged_to ?? [],
      dueDate: r.due_date ? r.due_date.toISOString().slice(0, 10) : null,
      plannedStart: iso(r.planned_start),
      plannedEnd: iso(r.planned_end),
      goodQty: num(r.good_qty),
      scrapQty: num(r.scrap_qty),
      qualityHold: r.quality_hold,
      outputLots: lotsOf.get(r.id) ?? [],
      operations: opsOf.get(r.id) ?? [],
    }),
  );
  if (!scope || unrestricted(scope)) return views;
  return views
    .map((w) => ({ ...w, operations: w.operations.filter((o) => listsAdmit(scope, { workCenter: o.workCenter, plant: w.plant })) }))
    .filter((w) => w.operations.length > 0 || (!scope.workCenters && listsAdmit(scope, { plant: w.plant })));
}

export async function getWorkOrder(q: Queryable, id: string, scope?: ScopeLists): Promise<WorkOrderView> {
  const [w] = await findWorkOrders(q, { ids: [id] });
  if (!w) throw notFound('work order', id);
  if (scope && !unrestricted(scope)) {
    const [visible] = await findWorkOrders(q, { ids: [id] }, scope);
    if (!visible) throw forbidden(`work order ${id} is outside your data scope`, { workOrder: id });
  }
  return w;
}

/** A work order's row, locked for the rest of the unit of work; 404 if unknown. */
export async function lockWorkOrder(q: Queryable, id: string) {
  const [wo] = await q.query<WorkOrderRow>('select * from mes.work_orders where id = $1 for update', [id]);
  if (!wo) throw notFound('work order', id);
  return wo;
}

export async function plantExists(q: Queryable, plant: string) {
  return (await q.query<{ code: string }>('select code from mes.plants where code = $1', [plant])).length > 0;
}

export async function itemsWithRouting(q: Queryable, codes: string[]) {
  return (await q.query<{ item_code: string }>('select distinct item_code from mes.routing_operations where item_code = any($1::text[])', [codes])).map((r) => r.item_code);
}
