import type { WorkCalendar } from '../../calendar.ts';
import { Rng } from '../random.ts';
import type { CompiledShopProblem, ShopScore } from './compile.ts';
import { constructShop } from './construct.ts';
import type { ShopPriorities } from './priorities.ts';
import { better } from './search.ts';
import type { ShopSearchBudget } from './search.ts';

/**
 * A point of the priority space searched by `tunePriorities`: ATC's look-ahead k, how much the work
 * left in an operation's work order counts beside the operation's own duration, and a per-work-order
 * factor on its weight.
 */
interface PriorityPoint {
  k: number;
  /**
   * ATC's index is w / p for the operation's duration p; with exponent a it is
   * w / (p^a · R^(1-a)) for the work R left from the operation on (a = 1: plain ATC). In an
   * overloaded shop, where most work orders end late anyway, favouring those close to their end
   * finishes more weight sooner (weighted shortest remaining processing time).
   */
  a: number;
  /** Natural log of a factor on each work order's weight (0 = as given). */
  bias: Float64Array;
  /**
   * 0, or how much longer than its work left an operation is expected to take to the end of its
   * chain: with g > 0, an operation whose latest start (cap − g × work left, on its centre's
   * calendar) has come is dispatched before all others, which keeps the plan within the cap.
   */
  guard: number;
}

/** The first guard factor (in calendar time, work left takes about this many times its working minutes). */
const GUARD = 3;

/** The first points tried (a, k): a coarse grid over the look-ahead and the remaining-work share. */
const GRID: readonly [number, number][] = [
  [0.5, 32],
  [0.75, 32],
  [0.5, 24],
  [0.75, 48],
  [0.5, 48],
  [0.75, 24],
  [0.5, 16],
  [0.75, 16],
  [0.5, 64],
  [0.75, 64],
  [0.5, 8],
  [0.75, 8],
];

/**
 * Search in the space of dispatching priorities rather than of machine sequences, for big
 * tardiness problems: every point is turned into a complete schedule by the ATC construction
 * (O(n log n), a few tens of milliseconds for 16,000 operations), so one step changes the whole
 * plan consistently, where a sequence move in an overloaded shop re-times thousands of operations
 * to change little. A grid over the look-ahead and the remaining-work share, then a (1+1) evolution:
 * mutate k or a, or the weight factors of a few random work orders; when the best plan ends after
 * `cap` + `tolerance`, raise the weight of the work orders that end after that instead. A point no
 * worse than the best (objective order with the cap + tolerance) replaces it: a plan a little past
 * the cap is kept for the sequence search to pull in. Also returns the best plan found within the
 * cap itself. Stops at the budget's deadline or iterations.
 */
export function tunePriorities(
  p: CompiledShopProblem,
  pr: ShopPriorities,
  cap: number,
  tolerance: number,
  budget: ShopSearchBudget,
  seed: number,
): { best?: TunedPlan; withinCap?: TunedPlan; iterations: number } {
  const rng = new Rng(seed);
  const W = p.woIds.length;
  const opWeight = new Float64Array(p.n);
  const ratio = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++) ratio[i] = pr.tailWork[i] > 0 ? Math.max(1, p.dur[i]) / Math.max(1, pr.tailWork[i]) : 1;
  const tuned: ShopPriorities = { ...pr, opWeight };
  const latestStart = new Float64Array(p.n);
  let latestFor = 0;
  const build = (pt: PriorityPoint) => {
    const e = 1 - pt.a;
    for (let i = 0; i < p.n; i++) opWeight[i] = pr.opWeight[i] * Math.pow(ratio[i], e) * Math.exp(pt.bias[p.woOf[i]]);
    if (pt.guard > 0 && pt.guard !== latestFor) {
      latestFor = pt.guard;
      for (let i = 0; i < p.n; i++) latestStart[i] = p.frozen[i] ? Infinity : latestStartBefore(p.calendars[p.mach[i]], cap, pt.guard * pr.tailWork[i]);
    }
    return constructShop(p, tuned, 'ATC', pt.k, pt.guard > 0 ? latestStart : undefined);
  };
  let best: { pt: PriorityPoint; built: ReturnType<typeof constructShop> } | undefined;
  let withinCap: { pt: PriorityPoint; built: ReturnType<typeof constructShop> } | undefined;
  const loose = cap + tolerance;
  let iterations = 0;
  // a construction is only started when the slowest one so far still fits before the deadline
  let slowest = 0;
  const left = () => iterations < budget.maxIterations && budget.now() + slowest < budget.deadline;
  const consider = (pt: PriorityPoint): boolean => {
    iterations++;
    const before = budget.now();
    const built = build(pt);
    slowest = Math.max(slowest, budget.now() - before);
    if (built.score.makespan <= cap && (withinCap === undefined || better(built.score, withinCap.built.score, 'tardiness', cap))) withinCap = { pt, built };
    if (best === undefined || !better(best.built.score, built.score, 'tardiness', loose)) {
      best = { pt, built };
      return true;
    }
    return false;
  };
  const zero = new Float64Array(W);
  for (const [a, k] of GRID) {
    if (!left()) break;
    consider({ a, k, bias: zero, guard: GUARD });
  }
  while (left() && best !== undefined) {
    const from = best.pt;
    const r = rng.next();
    let pt: PriorityPoint;
    if (best.built.score.makespan > loose) {
      // the plan ends too late: operations whose (stretched) work left no longer fits before the cap go first
      pt = { ...from, guard: Math.max(GUARD, from.guard * (1.1 + 0.3 * rng.next())) };
    } else if (r < 0.1 && from.guard > 0) {
      pt = { ...from, guard: from.guard * (rng.next() < 0.5 ? 0.9 : 1.1) };
    } else if (r < 0.2) {
      pt = { ...from, k: Math.max(1, from.k * (rng.next() < 0.5 ? 0.8 : 1.25)) };
    } else if (r < 0.35) {
      pt = { ...from, a: Math.min(1, Math.max(0, from.a + (rng.next() < 0.5 ? -0.08 : 0.08))) };
    } else {
      const bias = Float64Array.from(from.bias);
      const count = 1 + rng.int(Math.max(1, Math.ceil(W / 50)));
      for (let c = 0; c < count; c++) bias[rng.int(W)] += rng.next() * 2 - 1;
      pt = { ...from, bias };
    }
    consider(pt);
  }
  const plan = (x: typeof best): TunedPlan | undefined =>
    x && { seqs: x.built.seqs, score: x.built.score, name: `ATC(k=${+x.pt.k.toFixed(1)}, a=${+x.pt.a.toFixed(2)}, g=${+x.pt.guard.toFixed(2)})` };
  return { best: plan(best), withinCap: plan(withinCap), iterations };
}

/** The calendar's latest start for `minutes` of work ending by `end`; -Infinity if there is no such time. */
function latestStartBefore(cal: WorkCalendar, end: number, minutes: number): number {
  try {
    return cal.latestStart(end, minutes);
  } catch {
    return -Infinity;
  }
}

interface TunedPlan {
  seqs: number[][];
  score: ShopScore;
  name: string;
}
