import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextDailyAt } from '../src/platform/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, orderWheels, wheelShop, workOrdersOf } from './support/factory.ts';

/**
 * The daily full reschedule (CLOSELOOP_RESCHEDULE_AT): event replans never improve work they do not
 * touch, so once a day everything pending is planned afresh. The test's clock is moved to a few
 * seconds before the time, and the app restarted so it sets its timer from that clock.
 */
let t: TestApp;
let admin: TestApp['call'];
let shift = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  t = await startTestApp({
    clock: { now: () => new Date(Date.now() + shift) },
    // event replanning off: the daily reschedule runs on its own
    config: { replanOnEvents: false, rescheduleDailyAt: '02:00', rescheduleSeconds: 0.5, replanFrozenHours: 0 },
  });
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  for (const qty of [12, 8, 20, 5]) await orderWheels(admin, qty, 10);
  await t.settle();
});
afterAll(() => t?.close());

describe(`the daily reschedule (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('plans all pending work afresh at the plant time given, and the ERP gets the new dates', async () => {
    expect((await ok(admin('GET', '/api/v1/planning/replans'))).replans).toEqual([]);
    // three seconds before 02:00 on the plant's clock (UTC here), then a restart sets the timer from it
    shift = nextDailyAt(new Date(), '02:00', 0).getTime() - 3000 - Date.now();
    await t.restart();
    let daily: { reasons: string[]; status: string; moved: { id: string }[]; timings?: object } | undefined;
    for (let i = 0; i < 300 && !daily; i++) {
      await sleep(100);
      daily = (await ok(admin('GET', '/api/v1/planning/replans'))).replans[0];
    }
    expect(daily).toMatchObject({ reasons: ['daily reschedule at 02:00'], status: 'done' });
    expect(daily!.timings).toBeDefined();
    // everything pending was in the problem: each operation planned from the reschedule's clock on
    const at = Date.now() + shift - 60_000;
    const schedule = await ok(admin('GET', '/api/v1/planning/schedule'));
    const ops = schedule.workCenters.flatMap((w: { operations: { start: string }[] }) => w.operations);
    expect(ops.length).toBeGreaterThan(0);
    for (const o of ops) expect(Date.parse(o.start)).toBeGreaterThanOrEqual(at - 5 * 60_000);
    await t.settle();
    const so = (await ok(admin('GET', '/api/v1/mes/work-orders'))).find((w: { parentWorkOrder: string | null }) => w.parentWorkOrder === null).salesOrder;
    const { top } = await workOrdersOf(admin, so);
    expect((await ok(admin('GET', `/api/v1/erp/sales-orders/${so}`))).lines[0].plannedEnd).toBe(top.plannedEnd);
    expect(await t.app.db.query(`select * from integration.replan_pending`)).toEqual([]);
    // ?limit= gives the newest that many (1–20)
    expect((await ok(admin('GET', '/api/v1/planning/replans?limit=1'))).replans).toEqual([daily]);
    for (const bad of ['0', '21', 'x']) expect((await admin('GET', `/api/v1/planning/replans?limit=${bad}`)).status).toBe(400);
  }, 60_000);
});
