/**
 * Rescheduling at factory size: 2,000 work orders × 8 operations on 50 work centres with
 * Mon–Fri two-shift calendars, children before parents, due dates; time to a feasible plan
 * (construction) and to the improved plan within the limit. MRP at scale is bench/planning-mrp.ts.
 * Each dispatching rule alone (ATC, EDD, MS = minimum slack, WSPT) is reported next to the search.
 * `npx tsx bench/planning.ts --work-orders 2000 --time-limit 5 [--seed 7]`
 */
import { compileCalendar, scheduleShop, type ShopWorkOrder } from '../src/planning/index.ts';
import { compileShopProblem } from '../src/planning/scheduler/shop/compile.ts';
import { computePriorities, constructShop } from '../src/planning/scheduler/shop/construct.ts';
import { arg } from './support.ts';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export async function main() {
  const n = Number(arg('work-orders', '2000'));
  const limit = Number(arg('time-limit', '5'));
  const centres = 50;
  const seed = Number(arg('seed', '7'));
  const r = rng(seed);
  const origin = Date.parse('2026-12-07T00:00:00Z'); // a Monday
  const spec = { utcOffsetMinutes: 480, shifts: [1, 2, 3, 4, 5].flatMap((day) => [{ day, from: '06:00', to: '14:00' }, { day, from: '14:00', to: '22:00' }]) };
  const calendars = Object.fromEntries(Array.from({ length: centres }, (_, i) => [`WC${i}`, compileCalendar(spec, origin)]));
  const workOrders: ShopWorkOrder[] = [];
  for (let w = 0; w < n; w++) {
    const ops = Array.from({ length: 8 }, (_, k) => ({ id: `W${w}-${k}`, workCenter: `WC${Math.floor(r() * centres)}`, durationMinutes: 10 + Math.floor(r() * 110) }));
    // every fourth work order is the child of the next one (two BOM levels)
    if (w % 4 === 1) ops[0] = { ...ops[0], predecessors: [`W${w - 1}-7`] } as (typeof ops)[number];
    workOrders.push({ id: `W${w}`, operations: ops, dueMinutes: 60 * 24 * (3 + Math.floor(r() * 25)), weight: 1 + Math.floor(r() * 3) });
  }
  const compiled = compileShopProblem({ workOrders, calendars });
  const priorities = computePriorities(compiled);
  const rules: Record<string, { makespanMinutes: number; totalWeightedTardinessMinutes: number }> = {};
  for (const [name, rule] of [['ATC', 'ATC'], ['EDD', 'EDD'], ['MS', 'SLACK'], ['WSPT', 'WSPT']] as const) {
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
