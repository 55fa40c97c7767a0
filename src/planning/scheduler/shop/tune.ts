import type { WorkCalendar } from '../../calendar.ts';
import { Rng } from '../random.ts';
import type { CompiledShopProblem, ShopScore } from './compile.ts';
import { constructShop } from './construct.ts';
import type { ShopPriorities } from './priorities.ts';
import { better } from './search.ts';
import type { ShopSearchBudget } from './search.ts';

/**
 * A point of the priority space searched by `tunePriorities`. The ATC index of an operation with
 * duration p, work left R (from its start to the end of its chain), work-order weight w and slack s
 * becomes w^beta / (p^a · R^b) · exp(bias) · exp(−max(0, s) / (k · mean duration)), where the slack
 * counts the work left F times. Plain ATC is a = 1, b = 0, beta = 1, F = 1, no bias. In an
 * overloaded shop, where most work orders end late anyway, b > 0 favours those close to their end,
 * finishing more weight sooner (weighted shortest remaining processing time).
 */
interface PriorityPoint {
  k: number;
  a: number;
  b: number;
  beta: number;
  F: number;
  /** Natural log of a factor on each work order's weight (0 = as given). */
  bias: Float64Array;
  /**
   * g: 0, or how much longer than its work left an operation is expected to take to the end of its
   * chain: with g > 0, an operation whose latest start (cap − g × work left, on its centre's
   * calendar) has come is dispatched before all others, which keeps the plan within the cap.
   */
  guard: number;
}

/** The first guard factor (in calendar time, work left takes about this many times its working minutes). */
const GUARD = 3;

/** The first points tried (a, k; b = 1 − a, guard GUARD): a coarse grid over the look-ahead and the remaining-work share. */
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
 * Search in the space of dispatching priorities rather than of machine sequences, for tardiness
 * (most useful on big problems): every point is turned into a complete schedule by the ATC construction
 * (O(n log n), a few tens of milliseconds for 16,000 operations), so one step changes the whole
 * plan consistently, where a sequence move in an overloaded shop re-times thousands of operations
 * to change little. A grid over the look-ahead and the remaining-work share, then a (1+1) evolution:
 * mutate one or two of the shape parameters, or the weight factors of a few random work orders
 * (half the time in the direction their lateness asks for: late ones up, early ones down);
 * when the best plan ends after `cap` + `tolerance`, raise the guard factor instead. A point no
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
  const opDue = new Float64Array(p.n);
  const logW = new Float64Array(p.n);
  const logP = new Float64Array(p.n);
  const logR = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++) {
    logW[i] = Math.log(Math.max(1e-9, pr.opWeight[i]));
    logP[i] = Math.log(Math.max(1, p.dur[i]));
    logR[i] = Math.log(Math.max(1, pr.tailWork[i]));
  }
  const tuned: ShopPriorities = { ...pr, opWeight, opDue };
  const latestStart = new Float64Array(p.n);
  let latestFor = 0;
  const build = (pt: PriorityPoint) => {
    // constructShop's ATC divides the weight by the duration
    for (let i = 0; i < p.n; i++) {
      opWeight[i] = pr.opWeight[i] > 0 ? Math.exp(pt.beta * logW[i] + (1 - pt.a) * logP[i] - pt.b * logR[i] + pt.bias[p.woOf[i]]) : 0;
      opDue[i] = pr.opDue[i] - (pt.F - 1) * pr.tailWork[i];
    }
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
    if (!left() || (best !== undefined && best.built.score.tardiness === 0 && best.built.score.makespan <= cap)) break;
    consider({ k, a, b: 1 - a, beta: 1, F: 1, bias: zero, guard: GUARD });
  }
  // nothing left to gain once every work order is on time within the cap
  while (left() && best !== undefined && !(best.built.score.tardiness === 0 && best.built.score.makespan <= cap)) {
    const from = best.pt;
    const r = rng.next();
    let pt: PriorityPoint;
    if (best.built.score.makespan > loose) {
      // the plan ends too late: operations whose (stretched) work left no longer fits before the cap go first
      pt = { ...from, guard: Math.max(GUARD, from.guard * (1.1 + 0.3 * rng.next())) };
    } else if (r < 0.85) {
      // one or two of the shape parameters, by a random step
      pt = { ...from };
      for (let c = rng.int(2); c >= 0; c--) {
        const step = rng.next() * 2 - 1;
        switch (rng.int(6)) {
          case 0:
            pt.k = Math.max(0.5, pt.k * Math.exp(0.4 * step));
            break;
          case 1:
            pt.a = Math.min(1.5, Math.max(0, pt.a + 0.15 * step));
            break;
          case 2:
            pt.b = Math.min(1.5, Math.max(0, pt.b + 0.15 * step));
            break;
          case 3:
            pt.beta = Math.min(3, Math.max(0.25, pt.beta + 0.25 * step));
            break;
          case 4:
            pt.F = Math.min(4, Math.max(0, pt.F + 0.4 * step));
            break;
          default:
            if (pt.guard > 0) pt.guard = Math.max(1, pt.guard * Math.exp(0.2 * step));
        }
      }
    } else {
      const bias = Float64Array.from(from.bias);
      const count = 1 + rng.int(Math.max(1, Math.ceil(W / 50)));
      if (rng.next() < 0.5) {
        // directed: late work orders up, early ones down
        const completion = best.built.completion;
        for (let c = 0; c < count; c++) {
          const w = rng.int(W);
          bias[w] += (completion[w] > p.woDue[w] ? 1 : -1) * rng.next();
        }
      } else for (let c = 0; c < count; c++) bias[rng.int(W)] += rng.next() * 2 - 1;
      pt = { ...from, bias };
    }
    consider(pt);
  }
  const plan = (x: typeof best): TunedPlan | undefined =>
    x && { seqs: x.built.seqs, score: x.built.score, name: `ATC(${(['k', 'a', 'b', 'beta', 'F', 'guard'] as const).map((key) => `${key}=${+x.pt[key].toFixed(2)}`).join(', ')})` };
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
