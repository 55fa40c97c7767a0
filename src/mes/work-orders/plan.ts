import type { Queryable, UnitOfWork } from '../../platform/index.ts';
import { num } from '../../platform/index.ts';
import { forwardPass, type PassCentre, type PassWorkOrder } from './forward-pass.ts';

export interface PlanOptions {
  now?: Date;
  utcOffsetMinutes?: number;
}

export interface PlannedDates {
  plannedStart: Date;
  plannedEnd: Date;
}

const OPEN_OPS = `('pending', 'running', 'paused')`;

/**
 * Joined to `mes.work_centers wc`: the open operation planned last on the centre (outside the work
 * orders of `$exclude`, if given), as `last.planned_end` (where its lanes start) and
 * `last.setup_family` (what the next operation changes over from). One index scan per centre.
 */
export const lastOnCentre = (exclude?: string) => `left join lateral (
    select o.planned_end, o.setup_family from mes.operations o
     where o.work_center = wc.code and o.status in ${OPEN_OPS} and o.planned_end is not null${exclude ? ` and not (o.work_order_id = any(${exclude}::text[]))` : ''}
     order by o.planned_end desc limit 1) last on true`;

/** A work centre as the forward pass takes it, from a row with `lastOnCentre`'s columns. */
export function passCentre(c: {
  code: string;
  capacity: number | string;
  calendar: PassCentre['calendar'];
  busyUntil: Date | string | null;
  setupMatrix: PassCentre['setupMatrix'] | null;
  lastFamily: string | null;
}): PassCentre {
  return {
    code: c.code,
    capacity: Number(c.capacity),
    calendar: c.calendar,
    busyUntil: c.busyUntil ? new Date(c.busyUntil) : null,
    setupMatrix: c.setupMatrix ?? [],
    lastFamily: c.lastFamily,
  };
}

/** A work order to plan, its open operations as jsonb (numbers as JSON numbers, times as text). */
interface PlannedWorkOrderRow {
  id: string;
  qty: string;
  level: number;
  parent_work_order: string | null;
  due_date: string | null;
  priority: number;
  children_end: Date | null;
  ops: { id: string; workCenter: string; setupMinutes: number; minutesPerUnit: number; status: string; doneQty: number; startedAt: string | null; setupFamily: string | null }[];
}

/** Work centres with their lanes' start: after the last open operation planned there outside `exclude`. */
export async function loadCentres(q: Queryable, codes: string[], exclude: string[]): Promise<PassCentre[]> {
  if (!codes.length) return [];
  const rows = await q.query<Parameters<typeof passCentre>[0]>(
    `select wc.code, wc.capacity, wc.calendar, wc.setup_matrix as "setupMatrix", last.planned_end as "busyUntil", last.setup_family as "lastFamily"
       from mes.work_centers wc ${lastOnCentre('$2')} where wc.code = any($1::text[])`,
    [codes, exclude],
  );
  return rows.map(passCentre);
}

/**
 * The forward pass over stored work orders (until src/planning's scheduler replaces it through
 * `applyPlannedDates`): see forwardPass. Writes the planned dates of the work orders and their
 * open operations; completed and cancelled work orders are left alone.
 */
export async function planWorkOrders(uow: UnitOfWork | Queryable, workOrderIds: string[], opts: PlanOptions = {}): Promise<Map<string, PlannedDates>> {
  const result = new Map<string, PlannedDates>();
  if (!workOrderIds.length) return result;
  const rows = await uow.query<PlannedWorkOrderRow>(
    `select w.id, w.qty, w.level, w.parent_work_order, w.due_date::text as due_date, w.priority,
            (select max(c.planned_end) from mes.work_orders c where c.parent_work_order = w.id and c.status in ('released', 'in_progress')
                and not (c.id = any($1::text[]))) as children_end,
            coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'workCenter', o.work_center, 'setupMinutes', o.setup_minutes,
                       'minutesPerUnit', o.minutes_per_unit, 'status', o.status, 'doneQty', o.good_qty + o.scrap_qty, 'startedAt', o.started_at,
                       'setupFamily', o.setup_family) order by o.seq)
                from mes.operations o where o.work_order_id = w.id and o.status in ${OPEN_OPS}), '[]') as ops
       from mes.work_orders w where w.id = any($1::text[]) and w.status in ('released', 'in_progress')`,
    [workOrderIds],
  );
  if (!rows.length) return result;
  const wos: PassWorkOrder[] = rows.map((r) => ({
    id: r.id,
    qty: num(r.qty),
    level: r.level,
    parentWorkOrder: r.parent_work_order,
    dueDate: r.due_date,
    priority: r.priority,
    operations: r.ops.map((o) => ({ ...o, setupMinutes: num(o.setupMinutes), minutesPerUnit: num(o.minutesPerUnit), doneQty: num(o.doneQty), startedAt: o.startedAt ? new Date(o.startedAt) : null })),
  }));
  const childrenEnd = new Map<string, number>();
  for (const r of rows) if (r.children_end) childrenEnd.set(r.id, new Date(r.children_end).getTime());
  const ids = wos.map((w) => w.id);
  const centres = await loadCentres(uow, [...new Set(wos.flatMap((w) => w.operations.map((o) => o.workCenter)))], ids);
  const pass = forwardPass(wos, centres, { now: opts.now ?? new Date(), utcOffsetMinutes: opts.utcOffsetMinutes ?? 0, childrenEnd });
  await writePlannedDates(uow, [...pass.workOrders].map(([id, d]) => ({ id, ...d })), pass.operations);
  for (const [id, d] of pass.workOrders) result.set(id, { plannedStart: d.start, plannedEnd: d.end });
  return result;
}

/** Writes planned dates of work orders and operations in one statement. */
export async function writePlannedDates(
  uow: Queryable,
  workOrders: { id: string; start: Date | null; end: Date | null }[],
  operations: { id: string; start: Date | null; end: Date | null }[],
) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  if (!workOrders.length && !operations.length) return;
  await uow.query(
    `with w as (update mes.work_orders w set planned_start = u.s, planned_end = u.e
                  from unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) as u(id, s, e) where w.id = u.id returning 1),
          o as (update mes.operations o set planned_start = u.s, planned_end = u.e
                  from unnest($4::text[], $5::timestamptz[], $6::timestamptz[]) as u(id, s, e) where o.id = u.id returning 1)
     select (select count(*) from w) as w, (select count(*) from o) as o`,
    [
      workOrders.map((w) => w.id), workOrders.map((w) => iso(w.start)), workOrders.map((w) => iso(w.end)),
      operations.map((o) => o.id), operations.map((o) => iso(o.start)), operations.map((o) => iso(o.end)),
    ],
  );
}
