/**
 * Rescheduling at factory size: 2,000 work orders × 8 operations on 50 work centres with
 * Mon–Fri two-shift calendars, children before parents, due dates; time to a feasible plan
 * (construction) and to the improved plan within the limit. MRP at scale is bench/planning-mrp.ts.
 * Each dispatching rule alone (ATC, EDD, MS = minimum slack, CR = critical ratio, WSPT) is reported next to the search.
 * `npx tsx bench/planning.ts --work-orders 2000 --time-limit 5 [--seed 7]`
 */
import { scheduleShop } from '../src/planning/index.ts';
import { compileShopProblem } from '../src/planning/scheduler/shop/compile.ts';
import { constructShop } from '../src/planning/scheduler/shop/construct.ts';
import { computePriorities } from '../src/planning/scheduler/shop/priorities.ts';
import { benchInstance } from './planning-instance.ts';
import { arg } from './support.ts';

export async function main() {
  const n = Number(arg('work-orders', '2000'));
  const limit = Number(arg('time-limit', '5'));
  const seed = Number(arg('seed', '7'));
  const { workOrders, calendars, centres } = benchInstance(n, seed);
  const compiled = compileShopProblem({ workOrders, calendars });
  const priorities = computePriorities(compiled);
  const rules: Record<string, { makespanMinutes: number; totalWeightedTardinessMinutes: number }> = {};
  for (const [name, rule] of [['ATC', 'ATC'], ['EDD', 'EDD'], ['MS', 'SLACK'], ['CR', 'CR'], ['WSPT', 'WSPT']] as const) {
    const { score } = constructShop(compiled, priorities, rule, 2);
    rules[name] = { makespanMinutes: score.makespan, totalWeightedTardinessMinutes: score.tardiness };
  }
  const bestRule = Math.min(...Object.values(rules).map((x) => x.totalWeightedTardinessMinutes));
  // time to a feasible plan: construction only (no local search)
  const c0 = performance.now();
  scheduleShop({ workOrders, calendars }, { objective: 'tardiness', timeLimitMs: limit * 1000, maxIterations: 0, seed: 1 });
  const constructionSeconds = (performance.now() - c0) / 1000;
  const t0 = performance.now();
  const plan = scheduleShop({ workOrders, calendars }, { objective: 'tardiness', timeLimitMs: limit * 1000, seed: 1 });
  const secs = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      bench: 'planning-reschedule',
      seed,
      workOrders: n,
      operations: n * 8,
      workCenters: centres,
      constructionSeconds: +constructionSeconds.toFixed(3),
      seconds: +secs.toFixed(2),
      iterations: plan.iterations,
      rules,
      construction: plan.construction,
      improved: { makespanMinutes: plan.makespan, totalWeightedTardinessMinutes: plan.totalWeightedTardiness },
      belowBestRulePercent: +((100 * (bestRule - plan.totalWeightedTardiness)) / bestRule).toFixed(3),
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
