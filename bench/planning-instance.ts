/**
 * The reschedule bench's instance (bench/planning.ts), in one place so that the CP-SAT reference
 * (bench/cp-sat/) solves exactly what Closeloop solves: 2,000 work orders × 8 operations on 50 work
 * centres with Mon–Fri two-shift calendars (plant UTC+8), every fourth work order the child of the
 * next one, random due dates and weights. Deterministic per seed.
 */
import { compileCalendar, type ShopWorkOrder } from '../src/planning/index.ts';
import type { WorkCalendar } from '../src/planning/calendar.ts';

export function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export const BENCH_ORIGIN = Date.parse('2026-12-07T00:00:00Z'); // a Monday
export const BENCH_SHIFTS = {
  utcOffsetMinutes: 480,
  shifts: [1, 2, 3, 4, 5].flatMap((day) => [{ day, from: '06:00', to: '14:00' }, { day, from: '14:00', to: '22:00' }]),
};

export interface BenchInstance {
  workOrders: ShopWorkOrder[];
  calendars: Record<string, WorkCalendar>;
  centres: number;
}

export function benchInstance(n: number, seed: number, centres = 50): BenchInstance {
  const r = rng(seed);
  const calendars = Object.fromEntries(Array.from({ length: centres }, (_, i) => [`WC${i}`, compileCalendar(BENCH_SHIFTS, BENCH_ORIGIN)]));
  const workOrders: ShopWorkOrder[] = [];
  for (let w = 0; w < n; w++) {
    const ops = Array.from({ length: 8 }, (_, k) => ({ id: `W${w}-${k}`, workCenter: `WC${Math.floor(r() * centres)}`, durationMinutes: 10 + Math.floor(r() * 110) }));
    // every fourth work order is the child of the next one (two BOM levels)
    if (w % 4 === 1) ops[0] = { ...ops[0], predecessors: [`W${w - 1}-7`] } as (typeof ops)[number];
    workOrders.push({ id: `W${w}`, operations: ops, dueMinutes: 60 * 24 * (3 + Math.floor(r() * 25)), weight: 1 + Math.floor(r() * 3) });
  }
  return { workOrders, calendars, centres };
}
