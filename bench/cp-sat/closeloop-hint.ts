/**
 * Closeloop's own plan for the reschedule bench's instance as a CP-SAT hint: runs the same search as
 * bench/planning.ts (objective tardiness, seed 1) for --time-limit seconds and writes every
 * operation's start on the working-time axis (the working minutes before it on the shared bench
 * calendar), for `solve.py --hint-file`. Answers "can CP-SAT improve Closeloop's plan?".
 * `npx tsx bench/cp-sat/closeloop-hint.ts --seed 7 --time-limit 10 > /tmp/h7.json`
 */
import { scheduleShop } from '../../src/planning/index.ts';
import { benchInstance } from '../planning-instance.ts';
import { arg } from '../support.ts';

const seed = Number(arg('seed', '7'));
const n = Number(arg('work-orders', '2000'));
const limit = Number(arg('time-limit', '10'));
const { workOrders, calendars } = benchInstance(n, seed);
const plan = scheduleShop({ workOrders, calendars }, { objective: 'tardiness', timeLimitMs: limit * 1000, seed: 1 });
const cal = calendars.WC0;
const starts = Object.fromEntries(plan.operations.map((o) => [o.id, cal.workingMinutesBetween(0, o.start)]));
process.stdout.write(
  JSON.stringify({ seed, source: `Closeloop scheduleShop, ${limit} s`, totalWeightedTardinessMinutes: plan.totalWeightedTardiness, makespanMinutes: plan.makespan, starts }),
);
