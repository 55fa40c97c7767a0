/**
 * Work-centre calendars as data, and the time arithmetic the scheduler needs.
 *
 * Scheduler time is a number of minutes since an origin instant (UTC). A calendar is described in
 * the plant's local time: a fixed UTC offset in minutes (e.g. +480 for China Standard Time; no
 * daylight-saving changes are modelled — pass the offset valid for the planning horizon), weekly
 * shifts per ISO weekday (1 = Monday … 7 = Sunday, several shifts per day allowed, a shift whose
 * `to` is not after its `from` runs past midnight into the next day, `to` may be '24:00'; no shifts
 * = around the clock), and exceptions per local date: `holiday` (the whole local day is off,
 * including the part of a night shift that spills into it, while the holiday's own night shift
 * still works its hours after midnight) and `extra` (an additional shift that day). This is the one
 * calendar rule: the MES plans work orders with it too (src/mes/resources/calendar.ts).
 *
 * Working-time model: an operation of d working minutes consumes working minutes only. It starts at
 * a working instant and, when a break, a night or a weekend comes, it pauses and continues in the
 * next shift (so its elapsed time can be longer than d). Operations never start outside working
 * time. A calendar without shifts is always open (24/7 fast path).
 */

export interface ShiftSpec {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  day: number;
  /** Local time 'HH:MM'. */
  from: string;
  /** Local time 'HH:MM' ('24:00' allowed); not after `from` means the shift ends the next day. */
  to: string;
}

export type CalendarException =
  | { date: string; kind: 'holiday' }
  | { date: string; kind: 'extra'; from: string; to: string };

export interface CalendarSpec {
  /** Plant offset from UTC in minutes (local = UTC + offset). */
  utcOffsetMinutes: number;
  /** Weekly working hours; omitted or empty = around the clock (24/7 but for the holidays). */
  shifts?: ShiftSpec[];
  exceptions?: CalendarException[];
}

export interface WorkCalendar {
  /** True for a 24/7 calendar (all functions are plain arithmetic). */
  readonly alwaysOpen: boolean;
  /** Whether minute instant t lies in working time. */
  isWorking(t: number): boolean;
  /** The earliest working instant ≥ t. */
  nextWorkingTime(t: number): number;
  /** End of an operation of `minutes` working minutes started at the working instant ≥ start. */
  finishTime(start: number, minutes: number): number;
  /** Inverse of finishTime: the latest start such that the operation ends at or before `end`. */
  latestStart(end: number, minutes: number): number;
  /** Working minutes in [a, b). */
  workingMinutesBetween(a: number, b: number): number;
}

const DAY = 1440;
const AROUND_THE_CLOCK: ShiftSpec[] = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, from: '00:00', to: '24:00' }));
/** How far the calendar searches for working time before deciding it has none (10 years). */
const SEARCH_DAYS = 3660;

export const ALWAYS_OPEN: WorkCalendar = {
  alwaysOpen: true,
  isWorking: () => true,
  nextWorkingTime: (t) => t,
  finishTime: (start, minutes) => start + Math.max(0, minutes),
  latestStart: (end, minutes) => end - Math.max(0, minutes),
  workingMinutesBetween: (a, b) => Math.max(0, b - a),
};

function parseClock(text: string, what: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) throw new RangeError(`${what}: expected 'HH:MM', got '${text}'`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (Number(match[2]) > 59 || minutes > DAY) throw new RangeError(`${what}: '${text}' is not a time of day`);
  return minutes;
}

function parseDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) throw new RangeError(`calendar exception: expected date 'YYYY-MM-DD', got '${text}'`);
  return Math.round(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000);
}

/** Sorted, merged half-open intervals [a, b) flattened into [a0, b0, a1, b1, …]. */
function merge(intervals: [number, number][]): number[] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [a, b] of sorted) {
    if (out.length > 0 && a <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], b);
    else out.push(a, b);
  }
  return out;
}

/** Local day number (days since 1970-01-01) → ISO weekday index 0 = Monday … 6 = Sunday. */
function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/**
 * Compiles a calendar. `originUtc` is the instant of scheduler time 0: epoch milliseconds or an
 * ISO-8601 string with a zone (e.g. '2025-03-03T00:00:00Z').
 */
export function compileCalendar(spec: CalendarSpec | undefined, originUtc: number | string): WorkCalendar {
  const exceptions = spec?.exceptions ?? [];
  if (!spec || (!spec.shifts?.length && exceptions.length === 0)) return ALWAYS_OPEN;
  // no shifts: open around the clock, but on its holidays
  const shifts = spec.shifts?.length ? spec.shifts : AROUND_THE_CLOCK;
  const originMs = typeof originUtc === 'number' ? originUtc : Date.parse(originUtc);
  if (!Number.isFinite(originMs)) throw new RangeError(`calendar origin '${String(originUtc)}' is not a valid instant`);
  if (!Number.isFinite(spec.utcOffsetMinutes) || Math.abs(spec.utcOffsetMinutes) > 18 * 60) {
    throw new RangeError('calendar utcOffsetMinutes must be within ±18 hours');
  }
  /** scheduler time t ↔ local minutes since 1970-01-01 00:00 local: local = t + shift. */
  const shift = originMs / 60_000 + spec.utcOffsetMinutes;

  const weekly: [number, number][][] = [[], [], [], [], [], [], []];
  for (const s of shifts) {
    if (!Number.isInteger(s.day) || s.day < 1 || s.day > 7) throw new RangeError(`shift day must be 1..7 (ISO weekday), got ${s.day}`);
    const from = parseClock(s.from, 'shift from');
    const to = parseClock(s.to, 'shift to');
    const w = s.day - 1;
    if (to > from) weekly[w].push([from, to]);
    else {
      weekly[w].push([from, DAY]);
      weekly[(w + 1) % 7].push([0, to]);
    }
  }
  const weeklyMerged = weekly.map(merge);
  const holidays = new Set<number>();
  const extras = new Map<number, [number, number][]>();
  for (const e of exceptions) {
    const day = parseDate(e.date);
    if (e.kind === 'holiday') holidays.add(day);
    else if (e.kind === 'extra') {
      const from = parseClock(e.from, 'extra shift from');
      const to = parseClock(e.to, 'extra shift to');
      if (to <= from) throw new RangeError(`extra shift on ${e.date} must end after it starts (within the day)`);
      extras.set(day, [...(extras.get(day) ?? []), [from, to]]);
    } else {
      throw new RangeError(`unknown calendar exception kind '${String((e as { kind: unknown }).kind)}'`);
    }
  }
  const allDay = weeklyMerged.every((d) => d.length === 2 && d[0] === 0 && d[1] === DAY);
  if (allDay && holidays.size === 0) return ALWAYS_OPEN;

  // day → working intervals; a dense array around the origin (fast), a map beyond it
  const baseDay = Math.floor(shift / DAY) - 400;
  const dense: (number[] | undefined)[] = new Array(4000);
  const sparse = new Map<number, number[]>();
  const build = (day: number): number[] => {
    const base: [number, number][] = holidays.has(day) ? [] : pairs(weeklyMerged[weekdayIndex(day)]);
    const extra = extras.get(day);
    return extra ? merge([...base, ...extra]) : merge(base);
  };
  const dayIntervals = (day: number): number[] => {
    const k = day - baseDay;
    if (k >= 0 && k < dense.length) {
      let list = dense[k];
      if (list === undefined) dense[k] = list = build(day);
      return list;
    }
    let list = sparse.get(day);
    if (list === undefined) sparse.set(day, (list = build(day)));
    return list;
  };

  const nextWorkingLocal = (local: number): number => {
    const d0 = Math.floor(local / DAY);
    for (let day = d0; day < d0 + SEARCH_DAYS; day++) {
      const list = dayIntervals(day);
      const offset = day * DAY;
      for (let k = 0; k < list.length; k += 2) {
        const a = offset + list[k];
        const b = offset + list[k + 1];
        if (local < b) return Math.max(a, local);
      }
    }
    throw new RangeError('calendar has no working time in the next 10 years');
  };

  const calendar: WorkCalendar = {
    alwaysOpen: false,
    isWorking(t) {
      const local = t + shift;
      const day = Math.floor(local / DAY);
      const m = local - day * DAY;
      const list = dayIntervals(day);
      for (let k = 0; k < list.length; k += 2) if (m >= list[k] && m < list[k + 1]) return true;
      return false;
    },
    nextWorkingTime(t) {
      return nextWorkingLocal(t + shift) - shift;
    },
    finishTime(start, minutes) {
      let remaining = Math.max(0, minutes);
      if (remaining === 0) return nextWorkingLocal(start + shift) - shift;
      // one scan: the first interval ending after `local` also gives the working start
      let local = start + shift;
      const d0 = Math.floor(local / DAY);
      for (let day = d0; day < d0 + SEARCH_DAYS + Math.ceil(remaining / 60); day++) {
        const list = dayIntervals(day);
        const offset = day * DAY;
        for (let k = 0; k < list.length; k += 2) {
          const b = offset + list[k + 1];
          if (local >= b) continue;
          const a = Math.max(offset + list[k], local);
          if (b - a >= remaining) return a + remaining - shift;
          remaining -= b - a;
          local = b;
        }
      }
      throw new RangeError('calendar has too little working time to finish the operation');
    },
    latestStart(end, minutes) {
      let remaining = Math.max(0, minutes);
      if (remaining === 0) return end;
      let local = end + shift;
      const d0 = Math.floor(local / DAY);
      for (let day = d0; day > d0 - SEARCH_DAYS - Math.ceil(remaining / 60); day--) {
        const list = dayIntervals(day);
        const offset = day * DAY;
        for (let k = list.length - 2; k >= 0; k -= 2) {
          const a = offset + list[k];
          if (local <= a) continue;
          const b = Math.min(offset + list[k + 1], local);
          if (b - a >= remaining) return b - remaining - shift;
          remaining -= b - a;
          local = a;
        }
      }
      throw new RangeError('calendar has too little working time before the given end');
    },
    workingMinutesBetween(a, b) {
      if (b <= a) return 0;
      const la = a + shift;
      const lb = b + shift;
      let total = 0;
      for (let day = Math.floor(la / DAY); day * DAY < lb; day++) {
        const list = dayIntervals(day);
        const offset = day * DAY;
        for (let k = 0; k < list.length; k += 2) {
          const x = Math.max(offset + list[k], la);
          const y = Math.min(offset + list[k + 1], lb);
          if (y > x) total += y - x;
        }
      }
      return total;
    },
  };
  return calendar;
}

function pairs(flat: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k < flat.length; k += 2) out.push([flat[k], flat[k + 1]]);
  return out;
}
