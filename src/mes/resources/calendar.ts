/**
 * Shift calendars of work centres (pure). Same shape as the scheduler's CalendarSpec
 * (src/planning/calendar.ts) so the planning inputs hand it over unchanged: weekly shifts per ISO
 * weekday (1 = Monday … 7 = Sunday) in plant local time, exceptions per local date.
 */
export interface Shift {
  day: number;
  from: string;
  to: string;
}
export type CalendarException = { date: string; kind: 'holiday' } | { date: string; kind: 'extra'; from: string; to: string };
export interface ShiftCalendar {
  shifts: Shift[];
  exceptions: CalendarException[];
}

export const DEFAULT_CALENDAR: ShiftCalendar = {
  shifts: [1, 2, 3, 4, 5].map((day) => ({ day, from: '08:00', to: '16:00' })),
  exceptions: [],
};

const MIN = 60_000;
const DAY = 86_400_000;
const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Working intervals [start, end) in UTC ms of one local day (midnight local = dayStartUtc). */
function intervalsOfDay(cal: ShiftCalendar, dayStartUtc: number, offsetMinutes: number): [number, number][] {
  const local = new Date(dayStartUtc + offsetMinutes * MIN);
  const iso = local.toISOString().slice(0, 10);
  const weekday = ((local.getUTCDay() + 6) % 7) + 1;
  if (cal.exceptions.some((e) => e.date === iso && e.kind === 'holiday')) return [];
  const spans: { from: string; to: string }[] = cal.shifts.filter((s) => s.day === weekday);
  for (const e of cal.exceptions) if (e.date === iso && e.kind === 'extra') spans.push(e);
  return spans
    .map((s): [number, number] => {
      const a = minutesOf(s.from);
      let b = minutesOf(s.to);
      if (b <= a) b += 24 * 60;
      return [dayStartUtc + a * MIN, dayStartUtc + b * MIN];
    })
    .sort((x, y) => x[0] - y[0]);
}

/**
 * The instant at which `minutes` of working time starting at `start` are done (an operation pauses
 * outside working hours). A calendar without any shift is always open.
 */
export function addWorkingMinutes(cal: ShiftCalendar, start: Date, minutes: number, offsetMinutes = 0): { start: Date; end: Date } {
  if (!cal.shifts.length && !cal.exceptions.some((e) => e.kind === 'extra'))
    return { start, end: new Date(start.getTime() + minutes * MIN) };
  let cursor = start.getTime();
  let left = minutes * MIN;
  let first: number | null = null;
  // local midnight of the day before the start (a night shift of yesterday may still run)
  let day = Math.floor((cursor + offsetMinutes * MIN) / DAY) * DAY - offsetMinutes * MIN - DAY;
  for (let i = 0; i < 3700; i++, day += DAY) {
    for (const [a, b] of intervalsOfDay(cal, day, offsetMinutes)) {
      if (b <= cursor) continue;
      const from = Math.max(a, cursor);
      if (first === null) first = from;
      if (left <= 0) return { start: new Date(first), end: new Date(from) };
      const take = Math.min(left, b - from);
      left -= take;
      cursor = from + take;
      if (left <= 0) return { start: new Date(first), end: new Date(cursor) };
    }
  }
  return { start, end: new Date(start.getTime() + minutes * MIN) };
}
