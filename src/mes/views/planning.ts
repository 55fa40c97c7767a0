import type { Queryable, UnitOfWork } from '../../platform/index.ts';
import { num, unprocessable } from '../../platform/index.ts';
import type { Payload } from '../../messages/index.ts';
import { writePlannedDates } from '../work-orders/plan.ts';
import { plannedLinesOfOrders } from '../work-orders/planned-lines.ts';
import type { OperationRow, WorkOrderRow } from '../work-orders/store.ts';
import type { WorkCenterRow } from '../resources/store.ts';
import { DEFAULT_CALENDAR } from '../resources/calendar.ts';

/** An open operation as a scheduler sees it. */
interface PlannedOperation {
  id: string;
  seq: number;
  workCenter: string;
  /** Work centres (same plant) the scheduler may move the operation to instead. */
  alternatives: string[];
  /** Its setup family: changeovers come from the work centre's setup matrix. */
  setupFamily: string | null;
  status: OperationRow['status'];
  frozen: boolean;
  durationMinutes: number;
  remainingMinutes: number;
  plannedStart: string | null;
  plannedEnd: string | null;
  startedAt: string | null;
}

/** An instant as the ISO text `Date.toISOString` gives, formatted by the database (16,000 rows: no Date objects made and formatted again). */
const isoColumn = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${col.replace(/^o\./, '')}`;
/** The columns of an operation a scheduler reads (16,000 rows at a time: no more than these). */
const PLANNING_COLUMNS = `o.id, o.work_order_id, o.seq, o.work_center, o.alternatives, o.setup_family, o.status, o.setup_minutes,
  o.minutes_per_unit, o.good_qty, o.scrap_qty, ${isoColumn('o.planned_start')}, ${isoColumn('o.planned_end')}, ${isoColumn('o.started_at')}`;
type PlanningOperationRow = Pick<OperationRow, 'id' | 'work_order_id' | 'seq' | 'work_center' | 'alternatives' | 'setup_family' | 'status' | 'setup_minutes' | 'minutes_per_unit' | 'good_qty' | 'scrap_qty'> & {
  planned_start: string | null;
  planned_end: string | null;
  started_at: string | null;
};

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/**
 * What a scheduler needs: open work orders with their operations (durations in working minutes;
 * running/paused/done operations are frozen), precedence within a work order (by seq) and between
 * levels (a child work order ends before its parent starts), and work centres with calendars in
 * the scheduler's CalendarSpec shape.
 */
export async function mesPlanningInputs(q: Queryable, opts: { utcOffsetMinutes?: number } = {}) {
  const [wos, ops, centres] = await Promise.all([
    q.query<WorkOrderRow>(`select * from mes.work_orders where status in ('released', 'in_progress') order by due_date nulls last, priority desc, id`),
    q.query<PlanningOperationRow>(
      `select ${PLANNING_COLUMNS} from mes.operations o join mes.work_orders w on w.id = o.work_order_id
        where w.status in ('released', 'in_progress') and o.status <> 'cancelled' order by o.work_order_id, o.seq`,
    ),
    q.query<Pick<WorkCenterRow, 'code' | 'plant' | 'capacity' | 'calendar' | 'setup_matrix'>>('select code, plant, capacity, calendar, setup_matrix from mes.work_centers order by code'),
  ]);
  const qtyOf = new Map(wos.map((w) => [w.id, num(w.qty)]));
  const woById = new Map(wos.map((w) => [w.id, w]));
  const opsOf = new Map<string, PlannedOperation[]>();
  for (const o of ops) (opsOf.get(o.work_order_id) ?? opsOf.set(o.work_order_id, []).get(o.work_order_id)!).push(plannedOperation(o, woById.get(o.work_order_id)));
  return {
    workOrders: wos.map((w) => ({
      id: w.id,
      itemCode: w.item_code,
      qty: num(w.qty),
      status: w.status as string,
      salesOrder: w.sales_order,
      lineNo: w.line_no,
      parentWorkOrder: w.parent_work_order,
      dueDate: w.due_date ? new Date(w.due_date).toISOString().slice(0, 10) : null,
      priority: w.priority,
      plannedStart: iso(w.planned_start),
      plannedEnd: iso(w.planned_end),
      operations: opsOf.get(w.id) ?? [],
    })),
    /** `before` must end before `after` starts (a child work order before its parent). */
    precedence: wos.filter((w) => w.parent_work_order && qtyOf.has(w.parent_work_order)).map((w) => ({ before: w.id, after: w.parent_work_order! })),
    workCenters: centres.map((c) => ({
      code: c.code,
      plant: c.plant,
      capacity: Number(c.capacity),
      // a centre stored without a calendar works the default week, as the MES forward pass plans it
      calendar: { utcOffsetMinutes: opts.utcOffsetMinutes ?? 0, shifts: (c.calendar ?? DEFAULT_CALENDAR).shifts, exceptions: (c.calendar ?? DEFAULT_CALENDAR).exceptions },
      setupMatrix: c.setup_matrix ?? [],
    })),
  };
}

/**
 * An operation as the scheduler sees it. The pieces still to come are the work order's quantity
 * less its scrap so far (scrap leaves it short: the later operations have less to do); a running
 * operation has those less what it has passed left.
 */
function plannedOperation(o: PlanningOperationRow, wo: Pick<WorkOrderRow, 'qty' | 'scrap_qty'> | undefined): PlannedOperation {
  const pieces = Math.max(0, num(wo?.qty ?? 0) - num(wo?.scrap_qty ?? 0));
  const total = num(o.setup_minutes) + num(o.minutes_per_unit) * pieces;
  const left = o.status === 'pending' ? total : Math.max(0, pieces - num(o.good_qty)) * num(o.minutes_per_unit);
  return {
    id: o.id,
    seq: o.seq,
    workCenter: o.work_center,
    alternatives: o.alternatives ?? [],
    setupFamily: o.setup_family ?? null,
    status: o.status,
    frozen: o.status !== 'pending',
    durationMinutes: total,
    remainingMinutes: o.status === 'done' ? 0 : left,
    plannedStart: o.planned_start,
    plannedEnd: o.planned_end,
    startedAt: o.started_at,
  };
}

/** The operations given, as `mesPlanningInputs` sees them now (a replan checks what changed while it solved). */
export async function operationPlanStates(q: Queryable, ids: string[]): Promise<PlannedOperation[]> {
  if (!ids.length) return [];
  const rows = await q.query<PlanningOperationRow & { wo_qty: string; wo_scrap: string }>(
    `select ${PLANNING_COLUMNS}, w.qty as wo_qty, w.scrap_qty as wo_scrap from mes.operations o join mes.work_orders w on w.id = o.work_order_id where o.id = any($1::text[])`,
    [ids],
  );
  return rows.map((r) => plannedOperation(r, { qty: r.wo_qty, scrap_qty: r.wo_scrap }));
}

export interface SchedulePlan {
  /** `workCenter`: the scheduler moved the operation to one of its alternatives (or back to its own). */
  operations: { id: string; start: string; end: string; workCenter?: string }[];
}

/**
 * Writes a scheduler's planned dates: operations as given, work orders spanning their operations;
 * tells the ERP with one SyncOperationsSchedule per sales order touched.
 */
export async function applyPlannedDates(uow: UnitOfWork, plan: SchedulePlan) {
  if (!plan.operations.length) return { workOrders: 0, operations: 0 };
  const ids = plan.operations.map((o) => o.id);
  const known = await uow.query<{ id: string; work_order_id: string; work_center: string; alternatives: string[]; original: string }>(
    `select o.id, o.work_order_id, o.work_center, o.alternatives,
            coalesce((select r.work_center from mes.work_orders w join mes.routing_operations r on r.item_code = w.item_code
                       and r.version = w.routing_version and r.seq = o.seq where w.id = o.work_order_id), o.work_center) as original
       from mes.operations o where o.id = any($1::text[])`,
    [ids],
  );
  if (known.length !== new Set(ids).size) {
    const missing = ids.filter((i) => !known.some((k) => k.id === i));
    throw unprocessable(`unknown operations ${missing.slice(0, 10).join(', ')}`, { operations: missing });
  }
  const byId = new Map(known.map((k) => [k.id, k]));
  const moves = plan.operations.filter((o) => o.workCenter !== undefined && o.workCenter !== byId.get(o.id)!.work_center);
  const wrong = moves.filter((o) => ![byId.get(o.id)!.original, ...byId.get(o.id)!.alternatives].includes(o.workCenter!));
  if (wrong.length)
    throw unprocessable(`work centre not allowed for ${wrong.map((o) => `${o.id} (${o.workCenter})`).join(', ')}`, { operations: wrong.map((o) => o.id) });
  if (moves.length)
    await uow.query(`update mes.operations o set work_center = u.wc from unnest($1::text[], $2::text[]) as u(id, wc) where o.id = u.id and o.status = 'pending'`, [
      moves.map((o) => o.id), moves.map((o) => o.workCenter!),
    ]);
  await writePlannedDates(uow, [], plan.operations.map((o) => ({ id: o.id, start: new Date(o.start), end: new Date(o.end) })));
  const woIds = [...new Set(known.map((k) => k.work_order_id))];
  const touched = await uow.query<Pick<WorkOrderRow, 'id' | 'sales_order'>>(
    `update mes.work_orders w set planned_start = s.ps, planned_end = s.pe
       from (select work_order_id, min(planned_start) as ps, max(planned_end) as pe from mes.operations
              where work_order_id = any($1::text[]) and status <> 'cancelled' group by work_order_id) s
      where w.id = s.work_order_id returning w.id, w.sales_order`,
    [woIds],
  );
  uow.audit({ action: 'schedule', entity: 'work_order', ref: woIds.length === 1 ? woIds[0] : `${woIds.length} work orders`, after: { operations: plan.operations.length } });
  const orders = [...new Set(touched.map((t) => t.sales_order).filter((s): s is string => !!s))];
  const linesOf = await plannedLinesOfOrders(uow, orders);
  for (const so of orders) {
    uow.emit('SyncOperationsSchedule', { salesOrderId: so, lines: linesOf.get(so) ?? [] } satisfies Payload<'SyncOperationsSchedule'>, { correlationId: so });
  }
  return { workOrders: touched.length, operations: plan.operations.length, salesOrders: orders };
}
