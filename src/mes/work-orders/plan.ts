import type { Queryable, UnitOfWork } from '../../platform/index.ts';
import { num } from '../../platform/index.ts';
import { addWorkingMinutes, DEFAULT_CALENDAR, type ShiftCalendar } from '../resources/calendar.ts';

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
 * The forward pass (until src/planning's scheduler replaces it through `applyPlannedDates`):
 * children before parents; on each work centre an operation is appended after the last operation
 * planned there (finite capacity: `capacity` lanes), inside the centre's working hours. Running
 * operations keep their start and occupy their centre until their planned end (or now).
 */
export async function planWorkOrders(uow: UnitOfWork | Queryable, workOrderIds: string[], opts: PlanOptions = {}): Promise<Map<string, PlannedDates>> {
  const now = opts.now ?? new Date();
  const offset = opts.utcOffsetMinutes ?? 0;
  const result = new Map<string, PlannedDates>();
  if (!workOrderIds.length) return result;
  const wos = await uow.query(
    `select id, qty, level, parent_work_order, due_date, priority from mes.work_orders
      where id = any($1::text[]) and status in ('released', 'in_progress')
      order by level desc, due_date nulls last, priority desc, id`,
    [workOrderIds],
  );
  if (!wos.length) return result;
  const ids = wos.map((w) => w.id as string);
  const ops = await uow.query(
    `select id, work_order_id, seq, work_center, setup_minutes, minutes_per_unit, status, good_qty, scrap_qty, planned_start, planned_end, started_at
       from mes.operations where work_order_id = any($1::text[]) and status in ${OPEN_OPS} order by work_order_id, seq`,
    [ids],
  );
  const opsOf = new Map<string, any[]>();
  for (const o of ops) (opsOf.get(o.work_order_id) ?? opsOf.set(o.work_order_id, []).get(o.work_order_id)!).push(o);
  const centres = [...new Set(ops.map((o) => o.work_center as string))];
  const wcRows = await uow.query(
    `select wc.code, wc.capacity, wc.calendar,
            (select max(o.planned_end) from mes.operations o
              where o.work_center = wc.code and o.status in ${OPEN_OPS} and not (o.work_order_id = any($2::text[]))) as busy_until
       from mes.work_centers wc where wc.code = any($1::text[])`,
    [centres, ids],
  );
  const lanes = new Map<string, number[]>();
  const calendars = new Map<string, ShiftCalendar>();
  for (const r of wcRows) {
    const free = Math.max(now.getTime(), r.busy_until ? new Date(r.busy_until).getTime() : 0);
    lanes.set(r.code, Array.from({ length: Number(r.capacity) }, () => free));
    calendars.set(r.code, r.calendar ?? DEFAULT_CALENDAR);
  }
  const outsideChildren = await uow.query(
    `select parent_work_order as parent, max(planned_end) as planned_end from mes.work_orders
      where parent_work_order = any($1::text[]) and status in ('released', 'in_progress') and not (id = any($1::text[]))
      group by parent_work_order`,
    [ids],
  );
  const childrenEnd = new Map<string, number>();
  for (const r of outsideChildren) if (r.planned_end) childrenEnd.set(r.parent, new Date(r.planned_end).getTime());

  const opUpdates: { id: string; start: Date; end: Date }[] = [];
  for (const wo of wos) {
    let ready = Math.max(now.getTime(), childrenEnd.get(wo.id) ?? 0);
    let first: number | null = null;
    for (const o of opsOf.get(wo.id) ?? []) {
      const wcLanes = lanes.get(o.work_center) ?? [now.getTime()];
      const cal = calendars.get(o.work_center) ?? DEFAULT_CALENDAR;
      let lane = 0;
      for (let i = 1; i < wcLanes.length; i++) if (wcLanes[i] < wcLanes[lane]) lane = i;
      let start: Date;
      let end: Date;
      if (o.status === 'pending') {
        const minutes = num(o.setup_minutes) + num(o.minutes_per_unit) * num(wo.qty);
        ({ start, end } = addWorkingMinutes(cal, new Date(Math.max(ready, wcLanes[lane])), minutes, offset));
      } else {
        start = new Date(o.started_at ?? o.planned_start ?? now);
        const left = Math.max(0, num(wo.qty) - num(o.good_qty) - num(o.scrap_qty)) * num(o.minutes_per_unit);
        end = addWorkingMinutes(cal, now, left, offset).end;
      }
      wcLanes[lane] = Math.max(wcLanes[lane], end.getTime());
      ready = end.getTime();
      first ??= start.getTime();
      opUpdates.push({ id: o.id, start, end });
    }
    const dates = { plannedStart: new Date(first ?? ready), plannedEnd: new Date(ready) };
    result.set(wo.id, dates);
    if (wo.parent_work_order) childrenEnd.set(wo.parent_work_order, Math.max(childrenEnd.get(wo.parent_work_order) ?? 0, ready));
  }
  await writePlannedDates(
    uow,
    [...result].map(([id, d]) => ({ id, start: d.plannedStart, end: d.plannedEnd })),
    opUpdates,
  );
  return result;
}

/** Writes planned dates of work orders and operations in two bulk updates. */
export async function writePlannedDates(
  uow: Queryable,
  workOrders: { id: string; start: Date | null; end: Date | null }[],
  operations: { id: string; start: Date | null; end: Date | null }[],
) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  if (workOrders.length)
    await uow.query(
      `update mes.work_orders w set planned_start = u.s, planned_end = u.e
         from unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) as u(id, s, e) where w.id = u.id`,
      [workOrders.map((w) => w.id), workOrders.map((w) => iso(w.start)), workOrders.map((w) => iso(w.end))],
    );
  if (operations.length)
    await uow.query(
      `update mes.operations o set planned_start = u.s, planned_end = u.e
         from unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) as u(id, s, e) where o.id = u.id`,
      [operations.map((o) => o.id), operations.map((o) => iso(o.start)), operations.map((o) => iso(o.end))],
    );
}
