import { compileCalendar, type CalendarException, type ShiftSpec, type WorkCalendar } from '../../planning/index.ts';

/**
 * Shift calendars of work centres as the MES stores them. Same shape as the scheduler's
 * CalendarSpec (src/planning/calendar.ts), whose arithmetic and rule the MES uses: weekly shifts
 * per ISO weekday (1 = Monday … 7 = Sunday) in plant local time, exceptions per local date.
 */
export interface ShiftCalendar {
  shifts: ShiftSpec[];
  exceptions: CalendarException[];
}

export const DEFAULT_CALENDAR: ShiftCalendar = {
  shifts: [1, 2, 3, 4, 5].map((day) => ({ day, from: '08:00', to: '16:00' })),
  exceptions: [],
};

const MIN = 60_000;
/** Compiled once per calendar (the rows of one planning pass share their objects) and plant offset. */
const compiled = new WeakMap<ShiftCalendar, Map<number, WorkCalendar>>();
function workCalendar(cal: ShiftCalendar, offsetMinutes: number): WorkCalendar {
  let byOffset = compiled.get(cal);
  if (!byOffset) compiled.set(cal, (byOffset = new Map()));
  let wc = byOffset.get(offsetMinutes);
  // scheduler time 0 = the Unix epoch: minutes since 1970 (the work centre's calendar in plant time)
  if (!wc) byOffset.set(offsetMinutes, (wc = compileCalendar({ utcOffsetMinutes: offsetMinutes, shifts: cal.shifts, exceptions: cal.exceptions }, 0)));
  return wc;
}

/**
 * The instant at which `minutes` of working time starting at `start` are done (an operation pauses
 * outside working hours), by the planning calendar's rule — the one the finite scheduler uses
 * (src/planning/calendar.ts: holidays, night shifts, no shifts = around the clock).
 */
export function addWorkingMinutes(cal: ShiftCalendar, start: Date, minutes: number, offsetMinutes = 0): { start: Date; end: Date } {
  const wc = workCalendar(cal, offsetMinutes);
  const t = start.getTime() / MIN;
  return { start: new Date(Math.round(wc.nextWorkingTime(t) * MIN)), end: new Date(Math.round(wc.finishTime(t, minutes) * MIN)) };
}
