import { constructShop, SHOP_RULES, type ShopRule } from './construct.ts';
import { computePriorities } from './priorities.ts';
import { compileShopProblem, processingMinutes, type ShopScore } from './compile.ts';
import { ShopDecoder } from './decoder.ts';
import { better, searchShop, ShopSequences } from './search.ts';
import { tunePriorities } from './tune.ts';
import type { ScheduleShopOptions, ShopObjective, ShopProblem, ShopSchedule } from './types.ts';

const DEFAULT_TIME_LIMIT_MS = 2000;

interface Candidate {
  rule: ShopRule;
  /** ATC look-ahead k. */
  k: number;
  name: string;
}

const candidate = (rule: ShopRule, k = 2): Candidate => ({ rule, k, name: rule === 'ATC' && k !== 2 ? `ATC(k=${k})` : rule });

/**
 * The constructions in the order they are tried (the likeliest winners for the objective first).
 * For tardiness, ATC's best look-ahead depends on the load (overloaded shops want a long one), so
 * several k are tried. Big instances get a shorter list, leaving the time to the search.
 */
function candidatesFor(objective: ShopObjective, operations: number): Candidate[] {
  const big = operations > BIG_INSTANCE;
  if (objective === 'makespan') {
    return (big ? SHOP_RULES.slice(0, 3) : SHOP_RULES).map((r) => candidate(r));
  }
  const atc = [2, 32, 8, 16, 4, 1].map((k) => candidate('ATC', k));
  const others = (['SLACK', 'EDD', 'WSPT', 'MWKR', 'SPT'] as const).map((r) => candidate(r));
  return big ? [...atc, others[0]] : [...atc, ...others];
}

/** Operations above which fewer constructions are tried. */
const BIG_INSTANCE = 5000;
/** Share of the time limit that constructions after the first may use. */
const CONSTRUCTION_SHARE = 0.15;
/** Tardiness: share of the search time (and of maxIterations) for the priority search (the rest: the sequence search). */
const TUNE_SHARE = 0.5;
const TUNE_SHARE_BIG = 0.85;
/** How far past the cap (a share of the planned span) the priority search's plan may end. */
const TUNE_TOLERANCE = 0.01;

/**
 * Finite-capacity scheduling of real work orders: precedence inside and between work orders,
 * release times, frozen operations, work-centre calendars; objective makespan or total weighted
 * tardiness (tie-break makespan, capped at plain ATC's makespan). Construction with several
 * dispatching rules (best kept); for tardiness, a search over the dispatching priorities; then a
 * tabu search on critical paths. Times are minutes from the caller's origin.
 */
export function scheduleShop(problem: ShopProblem, opts: ScheduleShopOptions = {}): ShopSchedule {
  const objective = opts.objective ?? 'makespan';
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const p = compileShopProblem(problem);
  const deadline = t0 + (opts.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS);
  const priorities = computePriorities(p);
  const decoder = new ShopDecoder(p);
  let bestSeq: ShopSequences | undefined;
  let bestRule = '';
  const bestScore: ShopScore = { makespan: Infinity, tardiness: Infinity };
  const score: ShopScore = { makespan: 0, tardiness: 0 };
  let slowest = 0;
  // for tardiness, no plan may end after the first construction's (plain ATC's) makespan
  let cap = Infinity;
  for (const { rule, k, name } of candidatesFor(objective, p.n)) {
    // one complete schedule always; further ones only while they fit well inside the limit
    const before = now();
    if (bestSeq !== undefined && before + 1.5 * slowest > t0 + CONSTRUCTION_SHARE * (deadline - t0)) break;
    const built = constructShop(p, priorities, rule, k);
    slowest = Math.max(slowest, now() - before);
    if (objective === 'tardiness' && bestSeq === undefined) cap = built.score.makespan;
    if (bestSeq === undefined || better(built.score, bestScore, objective, cap)) {
      bestSeq = new ShopSequences(p.n, built.seqs);
      bestRule = name;
      bestScore.makespan = built.score.makespan;
      bestScore.tardiness = built.score.tardiness;
    }
  }
  const construction = { makespan: bestScore.makespan, totalWeightedTardiness: bestScore.tardiness, rule: bestRule };
  let iterations = 0;
  let finalSeq = bestSeq!;
  // the final decode and the result are built after the search: keep time for them
  const d0 = now();
  decoder.decode(finalSeq.machPrev, finalSeq.machNext, score);
  const reserve = 4 * (now() - d0) + 0.01 * (deadline - t0) + 1;
  const maxIterations = opts.maxIterations ?? Number.MAX_SAFE_INTEGER;
  let start = finalSeq;
  let startScore: ShopScore = bestScore;
  if (objective === 'tardiness' && p.n > 0 && maxIterations > 0) {
    // first the search over dispatching priorities (see tunePriorities), most of the time on big
    // instances; its plan may end a little after the cap, which the sequence search then pulls in
    const searchFrom = now();
    const share = p.n > BIG_INSTANCE ? TUNE_SHARE_BIG : TUNE_SHARE;
    const tuned = tunePriorities(
      p,
      priorities,
      cap,
      TUNE_TOLERANCE * Math.max(0, cap - (problem.horizonStart ?? 0)),
      { maxIterations: Math.ceil(share * maxIterations), deadline: searchFrom + share * (deadline - reserve - searchFrom), now },
      opts.seed ?? 1,
    );
    iterations += tuned.iterations;
    if (tuned.withinCap && better(tuned.withinCap.score, bestScore, objective, cap)) {
      finalSeq = new ShopSequences(p.n, tuned.withinCap.seqs);
      bestScore.makespan = tuned.withinCap.score.makespan;
      bestScore.tardiness = tuned.withinCap.score.tardiness;
    }
    start = finalSeq;
    startScore = bestScore;
    if (tuned.best && tuned.best.score.tardiness < bestScore.tardiness) {
      start = new ShopSequences(p.n, tuned.best.seqs);
      startScore = tuned.best.score;
    }
  }
  if (p.n > 0 && iterations < maxIterations) {
    const result = searchShop(p, start, objective, { maxIterations: maxIterations - iterations, deadline: deadline - reserve, now }, opts.seed ?? 1, cap);
    iterations += result.iterations;
    if (!better(bestScore, result.score, objective, cap)) {
      finalSeq = result.best;
    }
  } else if (start !== finalSeq && !better(bestScore, startScore, objective, cap)) finalSeq = start;
  decoder.decode(finalSeq.machPrev, finalSeq.machNext, score);
  const operations = p.ids.map((id, i) => {
    const setup = p.frozen[i] ? 0 : processingMinutes(p, i, finalSeq.machPrev[i]) - p.dur[i];
    return {
      id,
      workOrderId: p.woIds[p.woOf[i]],
      workCenter: p.workCenters[p.mach[i]],
      start: decoder.start[i],
      end: decoder.end[i],
      frozen: p.frozen[i] === 1,
      ...(setup > 0 ? { setupMinutes: setup } : {}),
    };
  });
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
