/**
 * Measures a CP-SAT answer (solve.py) the way bench/planning.ts measures Closeloop's plan: the
 * working-axis starts become calendar minutes on the bench calendar, the plan must pass Closeloop's
 * own feasibility checker (checkShopPlan), and total weighted tardiness and makespan are computed
 * in calendar minutes from the work orders' last operations. solve.py measures the same TWT with its
 * own calendar mapping, so `mappingMatches` must be true; CP-SAT's objective is never below it
 * (`objectiveSlack` ≥ 0: a tardiness variable is only bounded below, and a solution found by LNS may
 * leave one above the work order's real tardiness).
 * `npx tsx bench/cp-sat/evaluate.ts --seed 7 --solution /tmp/s7.json`
 */
import { readFileSync } from 'node:fs';
import { checkShopPlan } from '../../src/planning/scheduler/shop/check.ts';
import { benchInstance } from '../planning-instance.ts';
import { arg } from '../support.ts';

const seed = Number(arg('seed', '7'));
const n = Number(arg('work-orders', '2000'));
interface Answer {
  status: string;
  wallSeconds: number;
  workers: number;
  params: string;
  starts: Record<string, number> | null;
  objective: number | null;
  totalWeightedTardinessMinutes: number | null;
  bestBound: number;
  equalsHint: boolean | null;
  hintTotalWeightedTardinessMinutes: number;
  solutions: number;
  lastSolution: [number, number] | null;
}
const answer = JSON.parse(readFileSync(arg('solution', '/dev/stdin'), 'utf8')) as Answer;
const about = { status: answer.status, wallSeconds: answer.wallSeconds, workers: answer.workers, params: answer.params };
const { workOrders, calendars } = benchInstance(n, seed);
if (!answer.starts) {
  console.log(JSON.stringify({ bench: 'cp-sat', seed, ...about, bestBound: answer.bestBound, solution: null }));
  process.exit(0);
}
const cal = calendars.WC0;
const plan = workOrders.flatMap((w) =>
  w.operations.map((o) => {
    const s = answer.starts![o.id];
    // the instant at which s working minutes have passed, then the working time it needs
    const start = cal.nextWorkingTime(cal.finishTime(0, s));
    return { id: o.id, start, end: cal.finishTime(start, o.durationMinutes) };
  }),
);
const violations = checkShopPlan({ workOrders, calendars }, plan);
const endOf = new Map(plan.map((p) => [p.id, p.end]));
let twt = 0;
let makespan = 0;
for (const w of workOrders) {
  const completion = endOf.get(w.operations.at(-1)!.id)!;
  makespan = Math.max(makespan, completion);
  twt += (w.weight ?? 1) * Math.max(0, completion - (w.dueMinutes ?? Infinity));
}
console.log(
  JSON.stringify({
    bench: 'cp-sat',
    seed,
    ...about,
    feasible: violations.length === 0,
    violations: violations.slice(0, 5),
    totalWeightedTardinessMinutes: twt,
    makespanMinutes: makespan,
    mappingMatches: answer.totalWeightedTardinessMinutes === twt,
    objectiveSlack: answer.objective === null ? null : answer.objective - twt,
    bestBound: answer.bestBound,
    hintTotalWeightedTardinessMinutes: answer.hintTotalWeightedTardinessMinutes,
    equalsHint: answer.equalsHint,
    solutions: answer.solutions,
    lastSolutionAtSeconds: answer.lastSolution?.[0] ?? null,
  }),
);
