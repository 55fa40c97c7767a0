import type { Queryable } from '../../platform/index.ts';
import { add, forbidden, mul, notFound, num } from '../../platform/index.ts';
import { listsAdmit, unrestricted, type ScopeLists } from '../../platform/index.ts';
import { wireOperationStatus, type OperationStatus } from './model.ts';

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
}

/** Work orders as the contract shows them, filtered by the caller's scope (operations too). */
export async function findWorkOrders(q: Queryable, f: WorkOrderFilter, scope?: ScopeLists): Promise<WorkOrderView[]> {
  const rows = await q.query(
    `select * from mes.work_orders
      where ($1::text is null or sales_order = $1) and ($2::text is null or external_ref = $2) and ($3::text is null or status = $3)
        and ($4::text[] is null or id = any($4)) and ($5::text is null or item_code = $5) and ($6::text[] is null or plant = any($6))
      order by sales_order nulls last, line_no nulls last, level, id limit 5000`,
    [f.salesOrder ?? null, f.externalRef ?? null, f.status ?? null, f.ids ?? null, f.itemCode ?? null, scope?.plants ?? null],
  );
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [ops, lots] = await Promise.all([
    q.query(
      `select o.*, coalesce((select array_agg(oo.operator order by oo.joined_at) from mes.operation_operators oo where oo.operation_id = o.id), '{}') as operators
         from mes.operations o where o.work_order_id = any($1::text[]) order by o.work_order_id, o.seq`,
      [ids],
    ),
    q.query('select lot, initial_qty, status, work_order_id from mes.lots where work_order_id = any($1::text[]) order by created_at, lot', [ids]),
  ]);
  const opsOf = new Map<string, OperationView[]>();
  for (const o of ops) {
    const v: OperationView = {
      id: o.id,
      seq: o.seq,
      name: o.name,
      workCenter: o.work_center,
      status: wireOperationStatus(o.status as OperationStatus),
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
      dueDate: r.due_date ? (r.due_date instanceof Date ? r.due_date.toISOString().slice(0, 10) : String(r.due_date)) : null,
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

export interface PlannedLine {
  lineNo: number;
  workOrders: { id: string; itemCode: string; qty: number; parentWorkOrder: string | null; plannedStart: string | null; plannedEnd: string | null; standardMinutes?: number }[];
  plannedStart: string | null;
  plannedEnd: string | null;
  standard: { labor: number; machine: number };
}

/** The lines of a sales order as AcknowledgeOperationsSchedule / SyncOperationsSchedule carry them. */
export async function plannedLines(q: Queryable, salesOrderId: string, lineNos?: number[]): Promise<PlannedLine[]> {
  const rows = await q.query(
    `select w.id, w.item_code, w.qty, w.parent_work_order, w.planned_start, w.planned_end, w.line_no, w.level,
            coalesce(sum((o.setup_minutes + o.minutes_per_unit * w.qty) * wc.labor_cost_per_hour / 60), 0) as labor,
            coalesce(sum((o.setup_minutes + o.minutes_per_unit * w.qty) * wc.cost_per_hour / 60), 0) as machine,
            coalesce(sum(o.setup_minutes + o.minutes_per_unit * w.qty), 0) as minutes
       from mes.work_orders w
       left join mes.operations o on o.work_order_id = w.id and o.status <> 'cancelled'
       left join mes.work_centers wc on wc.code = o.work_center
      where w.sales_order = $1 and ($2::int[] is null or w.line_no = any($2)) and w.status <> 'cancelled'
      group by w.id order by w.line_no, w.level, w.id`,
    [salesOrderId, lineNos ?? null],
  );
  const lines = new Map<number, PlannedLine>();
  for (const r of rows) {
    let line = lines.get(r.line_no);
    if (!line) lines.set(r.line_no, (line = { lineNo: r.line_no, workOrders: [], plannedStart: null, plannedEnd: null, standard: { labor: 0, machine: 0 } }));
    const ps = iso(r.planned_start);
    const pe = iso(r.planned_end);
    line.workOrders.push({ id: r.id, itemCode: r.item_code, qty: num(r.qty), parentWorkOrder: r.parent_work_order, plannedStart: ps, plannedEnd: pe, standardMinutes: num(r.minutes) });
    if (ps && (!line.plannedStart || ps < line.plannedStart)) line.plannedStart = ps;
    if (pe && (!line.plannedEnd || pe > line.plannedEnd)) line.plannedEnd = pe;
    line.standard = { labor: add(line.standard.labor, mul(num(r.labor), 1)), machine: add(line.standard.machine, num(r.machine)) };
  }
  for (const l of lines.values()) l.standard = { labor: Math.round(l.standard.labor * 100) / 100, machine: Math.round(l.standard.machine * 100) / 100 };
  return [...lines.values()];
}

/** A work order's row, locked for the rest of the unit of work; 404 if unknown. */
export async function lockWorkOrder(q: Queryable, id: string) {
  const [wo] = await q.query('select * from mes.work_orders where id = $1 for update', [id]);
  if (!wo) throw notFound('work order', id);
  return wo;
}

export async function plantExists(q: Queryable, plant: string) {
  return (await q.query<{ code: string }>('select code from mes.plants where code = $1', [plant])).length > 0;
}

export async function itemsWithRouting(q: Queryable, codes: string[]) {
  return (await q.query<{ item_code: string }>('select distinct item_code from mes.routing_operations where item_code = any($1::text[])', [codes])).map((r) => r.item_code);
}
