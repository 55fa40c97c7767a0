import { compileShop, Sequencing } from './disjunctive-graph.ts';
import { gifflerThompson, PRIORITY_RULES } from './giffler-thompson.ts';
import { relink } from './path-relinking.ts';
import { Rng } from '../random.ts';
import { budgetExhausted, type SearchBudget } from './budget.ts';
import { TabuSearch } from './tabu-search.ts';
import type { JobShopInstance, JobShopSolution, SolveJobShopOptions } from './types.ts';

const ELITE_SIZE = 8;
/** Share of restarts that start from a path-relinked pair of elite solutions instead of a perturbed one. */
const RELINK_SHARE = 0.3;

/**
 * Solves a job-shop instance (minimum makespan): Giffler–Thompson constructions with several
 * priority rules (plus randomised variants), then tabu search on the critical path (N6
 * neighbourhood, approximate move evaluation, aspiration) restarted after stagnation from an elite
 * set: either a perturbed elite solution or a path-relinked point between two elite solutions.
 * Anytime: stops at the time limit, the iteration limit, or the lower bound (or targetMakespan).
 * Deterministic for a given seed when limited by `maxIterations` only.
 */
export function solveJobShop(instance: JobShopInstance, opts: SolveJobShopOptions): JobShopSolution {
  const shop = compileShop(instance);
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const rng = new Rng(opts.seed ?? 1);
  const target = Math.max(opts.targetMakespan ?? shop.lowerBound, shop.lowerBound);
  if (shop.n === 0) return { makespan: 0, starts: instance.jobs.map(() => []), iterations: 0, lowerBound: 0 };

  const best = new Sequencing(shop);
  best.makespan = Infinity;
  const budget: SearchBudget = {
    iterations: 0,
    maxIterations: opts.maxIterations ?? Number.MAX_SAFE_INTEGER,
    deadline: t0 + Math.max(0, opts.timeLimitMs),
    now,
    target,
    stopped: false,
    improved: (makespan) => opts.onProgress?.(makespan, now() - t0),
  };

  // construction: every rule, plus randomised variants of the best rules
  const elite: Sequencing[] = [];
  const offer = (s: Sequencing): void => {
    if (elite.some((e) => e.makespan === s.makespan && sameSequence(e, s))) return;
    if (elite.length < ELITE_SIZE) {
      const copy = new Sequencing(shop);
      copy.copyFrom(s);
      elite.push(copy);
    } else {
      let worst = 0;
      for (let k = 1; k < elite.length; k++) if (elite[k].makespan > elite[worst].makespan) worst = k;
      if (elite[worst].makespan <= s.makespan) return;
      elite[worst].copyFrom(s);
    }
  };
  const candidate = new Sequencing(shop);
  const consider = (seq: Int32Array): void => {
    candidate.setSequence(seq);
    candidate.evaluate();
    offer(candidate);
    if (candidate.makespan < best.makespan) {
      best.copyFrom(candidate);
      budget.improved(best.makespan);
    }
  };
  for (const rule of PRIORITY_RULES) consider(gifflerThompson(shop, rule));
  for (let k = 0; k < 8; k++) consider(gifflerThompson(shop, k % 2 === 0 ? 'MWKR' : 'MOPNR', rng, 0.3));
  if (best.makespan <= target) return finish(best, budget, shop.lowerBound);

  const search = new TabuSearch(shop, rng);
  const cur = new Sequencing(shop);
  const runBest = new Sequencing(shop);
  const work = new Sequencing(shop);
  const globalBest = { makespan: best.makespan };
  const maxStagnation = Math.max(2500, 25 * shop.n);
  const improve = (): void => {
    search.resetTabu();
    search.run(cur, runBest, globalBest, maxStagnation, budget);
    if (runBest.makespan < best.makespan) best.copyFrom(runBest);
  };
  // restarts: the best constructions first, then perturbed or path-relinked elite solutions
  let round = 0;
  while (!budgetExhausted(budget)) {
    if (round < Math.min(2, elite.length)) {
      elite.sort((x, y) => x.makespan - y.makespan);
      cur.copyFrom(elite[round]);
    } else {
      let relinked = false;
      if (elite.length >= 2 && rng.next() < RELINK_SHARE) {
        const x = rng.int(elite.length);
        let y = rng.int(elite.length - 1);
        if (y >= x) y++;
        relinked = relink(elite[x], elite[y], work, cur, rng, budget);
      }
      if (!relinked) {
        cur.copyFrom(rng.next() < 0.5 ? best : elite[rng.int(elite.length)]);
        search.perturb(cur, 2 + rng.int(Math.max(2, Math.floor(Math.sqrt(shop.n) / 2))));
      }
    }
    round++;
    improve();
    offer(runBest);
  }
  return finish(best, budget, shop.lowerBound);
}

function sameSequence(a: Sequencing, b: Sequencing): boolean {
  const x = a.seq;
  const y = b.seq;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function finish(best: Sequencing, budget: SearchBudget, lowerBound: number): JobShopSolution {
  return { makespan: best.makespan, starts: best.starts(), iterations: budget.iterations, lowerBound };
}
