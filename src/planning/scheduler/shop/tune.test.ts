import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../../calendar.ts';
import { Rng } from '../random.ts';
import { checkShopPlan } from './check.ts';
import { compileShopProblem } from './compile.ts';
import { constructShop } from './construct.ts';
import { ShopDecoder } from './decoder.ts';
import { computePriorities } from './priorities.ts';
import { scheduleShop } from './schedule.ts';
import { better, ShopSequences } from './search.ts';
import { tunePriorities } from './tune.ts';
import type { ShopProblem } from './types.ts';

const twoShifts = compileCalendar(
  { utcOffsetMinutes: 0, shifts: [1, 2, 3, 4, 5].flatMap((day) => [{ day, from: '06:00', to: '14:00' }, { day, from: '14:00', to: '22:00' }]) },
  '2026-12-07T00:00:00Z',
);

/** An overloaded shop: routings over `centres` centres, every fourth order the child of the next. */
function overloaded(seed: number, orders: number, centres: number, ops: number): ShopProblem {
  const rng = new Rng(seed);
  const workOrders = Array.from({ length: orders }, (_, w) => ({
    id: `W${w}`,
    dueMinutes: 1440 * (1 + rng.int(Math.max(2, Math.round((orders * ops * 60) / centres / 1440)))),
    weight: 1 + rng.int(3),
    operations: Array.from({ length: ops }, (_, k) => ({
      id: `W${w}-${k}`,
      workCenter: `C${rng.int(centres)}`,
      durationMinutes: 10 + rng.int(110),
      ...(k === 0 && w % 4 === 1 ? { predecessors: [`W${w - 1}-${ops - 1}`] } : {}),
    })),
  }));
  const calendars = Object.fromEntries(Array.from({ length: centres }, (_, m) => [`C${m}`, twoShifts]).filter((_, m) => m % 3 !== 0));
  return { workOrders, calendars };
}

describe('ATC with latest starts (the makespan guard)', () => {
  // ATC alone takes the heavy short one first; B's latest start has come at 0, so the guard takes B
  const problem: ShopProblem = {
    workOrders: [
      { id: 'A', dueMinutes: 10, weight: 5, operations: [{ id: 'A1', workCenter: 'M', durationMinutes: 10 }] },
      { id: 'B', dueMinutes: 500, weight: 1, operations: [{ id: 'B1', workCenter: 'M', durationMinutes: 100 }, { id: 'B2', workCenter: 'N', durationMinutes: 100 }] },
    ],
  };
  const p = compileShopProblem(problem);
  const pr = computePriorities(p);
  const order = (latest?: Float64Array) => constructShop(p, pr, 'ATC', 2, latest).seqs[p.mach[0]].map((i) => p.ids[i]);

  it('dispatches an operation whose latest start has come before all others', () => {
    expect(order()).toEqual(['A1', 'B1']);
    expect(order(Float64Array.from([Infinity, 0, 100]))).toEqual(['B1', 'A1']);
    expect(order(Float64Array.from([Infinity, 50, 150]))).toEqual(['A1', 'B1']); // not yet at 0
  });

  it('keeps its figures and completions equal to a decode, on calendars with changed weights', () => {
    const big = overloaded(5, 120, 6, 5);
    const q = compileShopProblem(big);
    const base = computePriorities(q);
    const rng = new Rng(9);
    for (let trial = 0; trial < 5; trial++) {
      const opWeight = base.opWeight.map((w) => w * (0.2 + 2 * rng.next()));
      const latest = Float64Array.from({ length: q.n }, () => (rng.next() < 0.5 ? Infinity : rng.int(40_000)));
      const built = constructShop(q, { ...base, opWeight }, 'ATC', 1 + rng.int(64), latest);
      const seq = new ShopSequences(q.n, built.seqs);
      const d = new ShopDecoder(q);
      const score = { makespan: 0, tardiness: 0 };
      expect(d.decode(seq.machPrev, seq.machNext, score)).toBe(true);
      expect(score).toEqual(built.score);
      expect(Array.from(built.completion)).toEqual(Array.from(d.woCompletion));
      expect(built.seqs.reduce((a, s) => a + s.length, 0)).toBe(q.n);
    }
  });
});

describe('tunePriorities', () => {
  const problem = overloaded(3, 200, 8, 6);
  const p = compileShopProblem(problem);
  const pr = computePriorities(p);
  const atc = constructShop(p, pr, 'ATC', 2).score;
  const now = () => performance.now();

  it('returns plans the checker accepts, the one within the cap no worse than plain ATC, the other within the tolerance', () => {
    const tolerance = 200;
    const tuned = tunePriorities(p, pr, atc.makespan, tolerance, { maxIterations: 60, deadline: Infinity, now }, 1);
    expect(tuned.iterations).toBe(60);
    const within = tuned.withinCap!;
    expect(within.score.makespan).toBeLessThanOrEqual(atc.makespan);
    expect(within.score.tardiness).toBeLessThan(atc.tardiness);
    expect(tuned.best!.score.makespan).toBeLessThanOrEqual(atc.makespan + tolerance);
    for (const plan of [within, tuned.best!]) {
      const seq = new ShopSequences(p.n, plan.seqs);
      const d = new ShopDecoder(p);
      const score = { makespan: 0, tardiness: 0 };
      expect(d.decode(seq.machPrev, seq.machNext, score)).toBe(true);
      expect(score).toEqual(plan.score);
      expect(checkShopPlan(problem, p.ids.map((id, i) => ({ id, start: d.start[i], end: d.end[i], workCenter: p.workCenters[p.mach[i]] })))).toEqual([]);
    }
    // deterministic for a seed
    const again = tunePriorities(p, pr, atc.makespan, tolerance, { maxIterations: 60, deadline: Infinity, now }, 1);
    expect(again.best!.score).toEqual(tuned.best!.score);
  });
});

describe('scheduleShop on a big tardiness instance', () => {
  const problem = overloaded(7, 700, 14, 8); // 5,600 operations: the priority search runs
  const p = compileShopProblem(problem);
  const atc = constructShop(p, computePriorities(p), 'ATC', 2).score;

  it('never ends after plain ATC, never loses to the construction, and the checker accepts the plan', () => {
    const schedule = scheduleShop(problem, { objective: 'tardiness', maxIterations: 40, timeLimitMs: 60_000, seed: 2 });
    expect(schedule.iterations).toBeLessThanOrEqual(40);
    expect(schedule.makespan).toBeLessThanOrEqual(atc.makespan);
    expect(schedule.construction.makespan).toBeLessThanOrEqual(atc.makespan);
    expect(schedule.totalWeightedTardiness).toBeLessThan(schedule.construction.totalWeightedTardiness);
    expect(checkShopPlan(problem, schedule.operations)).toEqual([]);
  });

  it('constructs only with maxIterations 0', () => {
    const schedule = scheduleShop(problem, { objective: 'tardiness', maxIterations: 0, timeLimitMs: 60_000, seed: 2 });
    expect(schedule.iterations).toBe(0);
    expect(schedule.totalWeightedTardiness).toBe(schedule.construction.totalWeightedTardiness);
    expect(schedule.makespan).toBe(schedule.construction.makespan);
  });
});

describe('scheduleShop, tardiness, with everything the shop has', () => {
  it('honours frozen operations, releases, downtime, setups and alternatives in the priority search', () => {
    const problem = overloaded(11, 160, 8, 6);
    const colours = ['red', 'blue', 'green'];
    problem.workOrders.forEach((wo, w) => {
      if (w % 7 === 3) wo.releaseMinutes = 3000;
      wo.operations.forEach((op, k) => {
        op.setupFamily = colours[(w + k) % 3];
        if (op.workCenter === 'C3') op.alternatives = ['C4'];
      });
      // globally disjoint frozen intervals: never overlapping one another
      if (w % 40 === 0) wo.operations[0].frozen = { start: (w / 40) * 130, end: (w / 40) * 130 + wo.operations[0].durationMinutes };
    });
    const matrix = { red: { blue: 30, green: 45 }, blue: { red: 20, green: 25 }, green: { red: 60, blue: 15 } };
    problem.setupMatrix = { C1: matrix, C2: matrix };
    problem.downtime = { C5: [{ start: 2000, end: 5000 }] };
    const schedule = scheduleShop(problem, { objective: 'tardiness', maxIterations: 120, timeLimitMs: 60_000, seed: 4 });
    expect(checkShopPlan(problem, schedule.operations)).toEqual([]);
    expect(schedule.totalWeightedTardiness).toBeLessThanOrEqual(schedule.construction.totalWeightedTardiness);
    const p = compileShopProblem(problem);
    expect(schedule.makespan).toBeLessThanOrEqual(constructShop(p, computePriorities(p), 'ATC', 2).score.makespan);
  });
});

describe('better with a makespan cap', () => {
  it('ranks a plan past the cap below any plan within it, and the one less past it first', () => {
    const within = { makespan: 100, tardiness: 500 };
    const past = { makespan: 120, tardiness: 10 };
    const further = { makespan: 130, tardiness: 0 };
    expect(better(within, past, 'tardiness', 110)).toBe(true);
    expect(better(past, further, 'tardiness', 110)).toBe(true);
    expect(better(past, within, 'tardiness')).toBe(true); // no cap: tardiness first
    expect(better(within, past, 'makespan', 110)).toBe(true);
  });
});
