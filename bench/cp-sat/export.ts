/**
 * Writes the reschedule bench's instance (bench/planning-instance.ts) for the CP-SAT reference
 * (solve.py) on the working-time axis: every work centre of the bench shares one calendar, so an
 * operation's working minutes, the routing order, the BOM links and one-at-a-time per centre are
 * the same there as in calendar time; each due date becomes the working minutes before it.
 * `npx tsx bench/cp-sat/export.ts --seed 7 [--work-orders 2000] > /tmp/i7.json`
 */
import { benchInstance } from '../planning-instance.ts';
import { arg } from '../support.ts';

const seed = Number(arg('seed', '7'));
const n = Number(arg('work-orders', '2000'));
const { workOrders, calendars } = benchInstance(n, seed);
const cal = calendars.WC0;
const out = {
  seed,
  workOrders: workOrders.map((w) => ({
    id: w.id,
    weight: w.weight ?? 1,
    due: w.dueMinutes ?? null,
    dueWorking: w.dueMinutes === undefined ? null : cal.workingMinutesBetween(0, w.dueMinutes),
    operations: w.operations.map((o) => ({ id: o.id, workCenter: o.workCenter, minutes: o.durationMinutes, after: o.predecessors ?? [] })),
  })),
};
process.stdout.write(JSON.stringify(out));
