import { addWorkingMinutes, DEFAULT_CALENDAR, type ShiftCalendar } from '../resources/calendar.ts';

/** What the forward pass needs of a work order (pure data; see plan.ts). */
export interface PassWorkOrder {
  id: string;
  qty: number;
  level: number;
  parentWorkOrder: string | null;
  dueDate: string | null;
  priority: number;
  operations: PassOperation[];
}
export interface PassOperation {
  id: string;
  workCenter: string;
  setupMinutes: number;
  minutesPerUnit: number;
  status: string;
  doneQty: number;
  startedAt: Date | null;
  /** Its setup family: the changeover from the family before it on the centre comes from the centre's matrix. */
  setupFamily?: string | null;
}
export interface PassCentre {
  code: string;
  capacity: number;
  calendar: ShiftCalendar | null;
  busyUntil: Date | null;
  /** Sequence-dependent changeovers (working minutes from one setup family to another). */
  setupMatrix?: { from: string; to: string; minutes: number }[];
  /** The family of the open operation planned last there (what the first new one changes over from). */
  lastFamily?: string | null;
}
export interface PassResult {
  workOrders: Map<string, { start: Date; end: Date }>;
  operations: { id: string; start: Date; end: Date }[];
}

/**
 * Forward scheduling (pure): children before parents (deepest level first, then due date and
 * priority); each operation goes on the earliest-free lane of its centre (`capacity` lanes, all
 * starting after the last operation planned there), after the previous operation of its work
 * order and after the work order's children, within the centre's working hours, with the
 * changeover from the family last on that lane when the centre has a setup matrix. Running
 * operations keep their start and are planned to finish their remaining pieces from now.
 */
export function forwardPass(
  workOrders: PassWorkOrder[],
  centres: PassCentre[],
  opts: { now: Date; utcOffsetMinutes: number; childrenEnd?: Map<string, number> },
): PassResult {
  const now = opts.now.getTime();
  const lanes = new Map<string, number[]>();
  const calendars = new Map<string, ShiftCalendar>();
  const families = new Map<string, (string | null)[]>();
  const changeover = new Map<string, Map<string, number>>();
  for (const c of centres) {
    const free = Math.max(now, c.busyUntil ? c.busyUntil.getTime() : 0);
    lanes.set(c.code, Array.from({ length: Math.max(1, c.capacity) }, () => free));
    families.set(c.code, Array.from({ length: Math.max(1, c.capacity) }, () => c.lastFamily ?? null));
    calendars.set(c.code, c.calendar ?? DEFAULT_CALENDAR);
    if (c.setupMatrix?.length) changeover.set(c.code, new Map(c.setupMatrix.map((x) => [`${x.from}\u0000${x.to}`, x.minutes])));
  }
  const setupBetween = (wc: string, from: string | null, to: string | null | undefined) =>
    from && to && from !== to ? (changeover.get(wc)?.get(`${from}\u0000${to}`) ?? 0) : 0;
  const childrenEnd = new Map(opts.childrenEnd ?? []);
  const order = [...workOrders].sort(
    (a, b) => b.level - a.level || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || b.priority - a.priority || a.id.localeCompare(b.id),
  );
  const result: PassResult = { workOrders: new Map(), operations: [] };
  for (const wo of order) {
    let ready = Math.max(now, childrenEnd.get(wo.id) ?? 0);
    let first: number | null = null;
    for (const o of wo.operations) {
      const wcLanes = lanes.get(o.workCenter) ?? lanes.set(o.workCenter, [now]).get(o.workCenter)!;
      const cal = calendars.get(o.workCenter) ?? DEFAULT_CALENDAR;
      let lane = 0;
      for (let i = 1; i < wcLanes.length; i++) if (wcLanes[i] < wcLanes[lane]) lane = i;
      let start: Date;
      let end: Date;
      const laneFamilies = families.get(o.workCenter) ?? families.set(o.workCenter, wcLanes.map(() => null)).get(o.workCenter)!;
      if (o.status === 'pending') {
        const minutes = setupBetween(o.workCenter, laneFamilies[lane], o.setupFamily) + o.setupMinutes + o.minutesPerUnit * wo.qty;
        ({ start, end } = addWorkingMinutes(cal, new Date(Math.max(ready, wcLanes[lane])), minutes, opts.utcOffsetMinutes));
      } else {
        start = o.startedAt ?? opts.now;
        end = addWorkingMinutes(cal, opts.now, Math.max(0, wo.qty - o.doneQty) * o.minutesPerUnit, opts.utcOffsetMinutes).end;
      }
      wcLanes[lane] = Math.max(wcLanes[lane], end.getTime());
      laneFamilies[lane] = o.setupFamily ?? null;
      ready = Math.max(ready, end.getTime());
      first ??= start.getTime();
      result.operations.push({ id: o.id, start, end });
    }
    result.workOrders.set(wo.id, { start: new Date(first ?? ready), end: new Date(ready) });
    if (wo.parentWorkOrder) childrenEnd.set(wo.parentWorkOrder, Math.max(childrenEnd.get(wo.parentWorkOrder) ?? 0, ready));
  }
  return result;
}
