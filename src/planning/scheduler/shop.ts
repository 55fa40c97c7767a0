import { computePriorities, constructShop, SHOP_RULES, type ShopRule } from './shop-construct.ts';
import { compileShopProblem, ShopDecoder, type ShopScore } from './shop-model.ts';
import { better, searchShop, ShopSequences } from './shop-search.ts';
import type { ScheduleShopOptions, ShopObjective, ShopProblem, ShopSchedule } from './shop-types.ts';

const DEFAULT_TIME_LIMIT_MS = 2000;

/** The rules in the order they are tried (the likeliest winners for the objective first). */
function rulesFor(objective: ShopObjective): readonly ShopRule[] {
  if (objective === 'makespan') return SHOP_RULES;
  const first: ShopRule[] = ['ATC', 'SLACK', 'EDD', 'WSPT'];
  return [...first, ...SHOP_RULES.filter((r) => !first.includes(r))];
}

/**
 * Finite-capacity scheduling of real work orders: precedence inside and between work orders,
 * release times, frozen operations, work-centre calendars; objective makespan or total weighted
 * tardiness (tie-break makespan). Construction with several dispatching rules (best kept), then a
 * tabu search on critical paths. Times are minutes from the caller's origin.
 */
export function scheduleShop(problem: ShopProblem, opts: ScheduleShopOptions = {}): ShopSchedule {
  const objective = opts.objective ?? 'makespan';
  const p = compileShopProblem(problem);
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const deadline = t0 + (opts.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS);
  const priorities = computePriorities(p);
  const decoder = new ShopDecoder(p);
  let bestSeq: ShopSequences | undefined;
  let bestRule = '';
  const bestScore: ShopScore = { makespan: Infinity, tardiness: Infinity };
  const score: ShopScore = { makespan: 0, tardiness: 0 };
  let slowest = 0;
  for (const rule of rulesFor(objective)) {
    // one complete schedule always; further rules only while they fit well inside the limit
    const before = now();
    if (bestSeq !== undefined && before + 2 * slowest > t0 + (deadline - t0) / 2) break;
    const built = constructShop(p, priorities, rule);
    slowest = Math.max(slowest, now() - before);
    if (bestSeq === undefined || better(built.score, bestScore, objective)) {
      bestSeq = new ShopSequences(p.n, built.seqs);
      bestRule = rule;
      bestScore.makespan = built.score.makespan;
      bestScore.tardiness = built.score.tardiness;
    }
  }
  const construction = { makespan: bestScore.makespan, totalWeightedTardiness: bestScore.tardiness, rule: bestRule };
  let iterations = 0;
  let finalSeq = bestSeq!;
  if (p.n > 0) {
    const result = searchShop(
      p,
      finalSeq,
      objective,
      {
        maxIterations: opts.maxIterations ?? Number.MAX_SAFE_INTEGER,
        deadline,
        now,
      },
      opts.seed ?? 1,
    );
    iterations = result.iterations;
    if (!better(bestScore, result.score, objective)) finalSeq = result.best;
  }
  decoder.decode(finalSeq.machPrev, finalSeq.machNext, score);
  const operations = p.ids.map((id, i) => ({
    id,
    workOrderId: p.woIds[p.woOf[i]],
    workCenter: p.workCenters[p.mach[i]],
    start: decoder.start[i],
    end: decoder.end[i],
    frozen: p.frozen[i] === 1,
  }));
  const workOrders = p.woIds.map((id, w) => {
    const completion = Number.isFinite(decoder.woCompletion[w]) ? decoder.woCompletion[w] : 0;
    const tardiness = Math.max(0, completion - p.woDue[w]);
    return { id, completion, tardiness, weightedTardiness: tardiness * p.woWeight[w] };
  });
  return {
    operations,
    workOrders,
    makespan: score.makespan,
    totalWeightedTardiness: score.tardiness,
    construction,
    iterations,
    warnings: p.warnings,
  };
}
