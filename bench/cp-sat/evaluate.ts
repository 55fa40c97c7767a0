/**
 * Measures a CP-SAT answer (solve.py) the way bench/planning.ts measures Closeloop's plan: the
 * working-axis starts become calendar minutes on the bench calendar, the plan must pass Closeloop's
 * own feasibility checker (checkShopPlan), and total weighted tardiness and makespan are computed
 * in calendar minutes from the work orders' last operations.
 * `npx tsx bench/cp-sat/evaluate.ts --seed 7 --solution /tmp/s7.json`
 */
import { readFileSync } from 'node:fs';
import { checkShopPlan } from '../../src/planning/scheduler/shop/check.ts';
import { benchInstance } from '../planning-instance.ts';
import { arg } from '../support.ts';

const seed = Number(arg('seed', '7'));
const n = Number(arg('work-orders', '2000'));
const answer = JSON.parse(readFileSync(arg('solution', '/dev/stdin'), 'utf8')) as { status: string; seconds: number; workers: number; starts: Record<string, number> | null; objectiveWorkingMinutes: number | null; boundWorkingMinutes: number | null };
const { workOrders, calendars } = benchInstance(n, seed);
if (!answer.starts) {
  console.log(JSON.stringify({ bench: 'cp-sat', seed, status: answer.status, seconds: answer.seconds, solution: null }));
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
    status: answer.status,
    seconds: answer.seconds,
    workers: answer.workers,
    feasible: violations.length === 0,
    violations: violations.slice(0, 5),
    totalWeightedTardinessMinutes: twt,
    makespanMinutes: makespan,
    objectiveWorkingMinutes: answer.objectiveWorkingMinutes,
    boundWorkingMinutes: answer.boundWorkingMinutes,
  }),
);
