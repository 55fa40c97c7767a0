/**
 * Writes the reschedule bench's instance (bench/planning-instance.ts) for the CP-SAT reference
 * (solve.py) on the working-time axis: every work centre of the bench shares one calendar (the
 * export checks it), so an operation's working minutes, the routing order, the BOM links and
 * one-at-a-time per centre are exactly the same there as in calendar time (see README.md). For the
 * objective, which is in calendar minutes, it also writes the calendar's working stretches: a
 * completion at working minute x in (workingStart, workingEnd] of a stretch is the calendar minute
 * calendarStart + (x − workingStart).
 * `npx tsx bench/cp-sat/export.ts --seed 7 [--work-orders 2000] [--days 150] > /tmp/i7.json`
 */
import { benchInstance } from '../planning-instance.ts';
import { arg } from '../support.ts';

const seed = Number(arg('seed', '7'));
const n = Number(arg('work-orders', '2000'));
const days = Number(arg('days', '150')); // calendar days of stretches written (the model's horizon must fit)
const { workOrders, calendars } = benchInstance(n, seed);
const cal = calendars.WC0;
// the working-axis model is exact only if every centre has the same calendar: compare them minute by minute
const span = days * 24 * 60;
for (const [centre, other] of Object.entries(calendars)) {
  for (let t = 0; t < span; t++) {
    if (other.isWorking(t) !== cal.isWorking(t)) throw new Error(`${centre}'s calendar differs from WC0's at minute ${t}: the working-time axis would not be exact`);
  }
}
// working stretches (maximal runs of working minutes) in the first `days` calendar days
const stretches: { workingStart: number; workingEnd: number; calendarStart: number }[] = [];
let worked = 0;
for (let t = 0; t < span; ) {
  if (!cal.isWorking(t)) {
    t++;
    continue;
  }
  let e = t;
  while (e < span && cal.isWorking(e)) e++;
  stretches.push({ workingStart: worked, workingEnd: worked + (e - t), calendarStart: t });
  worked += e - t;
  t = e;
}
const out = {
  seed,
  stretches,
  workOrders: workOrders.map((w) => ({
    id: w.id,
    weight: w.weight ?? 1,
    due: w.dueMinutes ?? null,
    dueWorking: w.dueMinutes === undefined ? null : cal.workingMinutesBetween(0, w.dueMinutes),
    operations: w.operations.map((o) => ({ id: o.id, workCenter: o.workCenter, minutes: o.durationMinutes, after: o.predecessors ?? [] })),
  })),
};
process.stdout.write(JSON.stringify(out));
