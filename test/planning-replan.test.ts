import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reschedule } from '../src/integration/planning/reschedule.ts';
import { buildShopProblem, minutesFrom } from '../src/integration/planning/shop-problem.ts';
import { scheduleGate } from '../src/integration/planning/solver.ts';
import { systemActor } from '../src/platform/index.ts';
import { mesPlanningInputs } from '../src/mes/index.ts';
import { checkShopPlan } from '../src/planning/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, orderWheels, runOperation, wheelShop, workOrdersOf } from './support/factory.ts';

/** Replanning when the floor changes: a breakdown, a rush order, a flapping machine. */
let t: TestApp;
let admin: TestApp['call'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  t = await startTestApp({ config: { replanOnEvents: true, replanDownThresholdMs: 1500, replanDebounceMs: 4000, replanFrozenHours: 0, replanTimeLimitSeconds: 0.3, replanAssumedDownHours: 8 } });
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  for (const qty of [12, 8, 20, 5]) await orderWheels(admin, qty, 10);
  await t.settle();
});
afterAll(() => t?.close());

async function replans(): Promise<{ at: string; reasons: string[]; status: string; moved: { id: string }[] }[]> {
  return (await ok(admin('GET', '/api/v1/planning/replans'))).replans;
}

/** Waits (bounded) until a replan whose reasons match `pattern` is recorded (from `since` on, when given). */
async function replanFor(pattern: RegExp, since = new Date(0)) {
  for (let i = 0; i < 400; i++) {
    await t.settle();
    const found = (await replans()).find((r) => Date.parse(r.at) >= since.getTime() && r.reasons.some((x) => pattern.test(x)));
    if (found) return found;
    await sleep(100);
  }
  throw new Error(`no replan for ${pattern}`);
}

describe(`replanning on floor events (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('after a breakdown moves only unfrozen work off the broken centre and gives dates a feasibility checker accepts', async () => {
    await replanFor(/released/); // the orders of the setup were planned once they settled
    const so = (await ok(admin('GET', '/api/v1/mes/work-orders'))).find((w: { parentWorkOrder: string | null }) => w.parentWorkOrder === null).salesOrder;
    const { child } = await workOrdersOf(admin, so);
    const running = child.operations[0];
    await runOperation(admin, running.id, { goodQty: 1 });
    const downAt = new Date();
    await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'LACING', state: 'down', reason: 'motor', at: downAt.toISOString() }), 201);
    const replan = await replanFor(/LACING down/);
    expect(replan.status).toBe('done');
    expect(replan.moved.length).toBeGreaterThan(0);
    expect(replan.moved.map((m) => m.id)).not.toContain(running.id);
    const after = await ok(admin('GET', '/api/v1/planning/schedule'));
    const ops = after.workCenters.flatMap((w: { code: string; operations: { id: string; start: string; end: string }[] }) => w.operations.map((o) => ({ ...o, workCenter: w.code })));
    // the running operation stays where it runs: started before the breakdown, planned to end after its remaining work
    const runningAfter = ops.find((o: { id: string }) => o.id === running.id);
    expect(Date.parse(runningAfter.start)).toBeLessThanOrEqual(downAt.getTime() + 60_000); // planned to the minute
    // nothing else on LACING before the assumed end of the breakdown (8 hours)
    for (const o of ops.filter((x: { workCenter: string; id: string }) => x.workCenter === 'LACING' && x.id !== running.id)) {
      expect(Date.parse(o.start)).toBeGreaterThanOrEqual(downAt.getTime() + 8 * 3_600_000 - 120_000);
    }
    // the plan is feasible: the problem as the MES sees it now, the running operation where it runs
    const origin = Math.floor(Date.now() / 60_000) * 60_000;
    const { problem } = buildShopProblem(await mesPlanningInputs(t.app.db), origin, { frozenHours: 0 });
    const plan = ops.map((o: { id: string; start: string; end: string }) => ({ id: o.id, start: minutesFrom(origin, o.start), end: minutesFrom(origin, o.end) }));
    for (const wo of problem.workOrders)
      for (const op of wo.operations) {
        const p = plan.find((x: { id: string }) => x.id === op.id)!;
        if (op.frozen) op.frozen = { start: p.start, end: p.end };
      }
    problem.horizonStart = -1; // planned a moment before this origin
    expect(checkShopPlan(problem, plan)).toEqual([]);
    await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'LACING', state: 'running' }), 201);
    expect((await replanFor(/LACING back up/)).status).toBe('done');
  }, 120_000);

  it('a rush order reschedules and the ERP sees the new planned dates', async () => {
    const rush = await orderWheels(admin, 3, 1);
    const replan = await replanFor(new RegExp(`new order ${rush} released`));
    expect(replan.status).toBe('done');
    await t.settle();
    const { top } = await workOrdersOf(admin, rush);
    const order = await ok(admin('GET', `/api/v1/erp/sales-orders/${rush}`));
    expect(top.plannedEnd).not.toBeNull();
    expect(order.lines[0].plannedEnd).toBe(top.plannedEnd);
  }, 90_000);

  it('scrap that leaves a work order short replans it: its later operations plan the pieces still to come', async () => {
    const so = await orderWheels(admin, 6, 12);
    await replanFor(new RegExp(`new order ${so} released`));
    const { top } = await workOrdersOf(admin, so);
    const [mount, trueing] = top.operations;
    await runOperation(admin, mount.id, { goodQty: 2, scrapQty: 2 });
    const replan = await replanFor(new RegExp(`${top.id} short by 2 scrapped`));
    expect(replan.status).toBe('done');
    const planned = (await mesPlanningInputs(t.app.db)).workOrders.find((w) => w.id === top.id)!;
    // 6 ordered, 2 scrapped: the truing has 4 pieces at 1 minute to come, the mounting 2 more at 2 minutes
    expect(planned.operations.find((o) => o.id === trueing.id)).toMatchObject({ durationMinutes: 4 });
    expect(planned.operations.find((o) => o.id === mount.id)).toMatchObject({ remainingMinutes: 4 });
    // the same report again adds no scrap: no second replan for it
    await runOperation(admin, mount.id, { goodQty: 1 }).catch(() => undefined);
    await sleep(5000);
    await t.settle();
    expect((await replans()).filter((r) => r.reasons.some((x) => x.startsWith(`${top.id} short`))).length).toBe(1);
  }, 90_000);

  it('a replan that overruns is stopped: nothing written, the schedule gate free at once, the last plan kept', async () => {
    const before = await ok(admin('GET', '/api/v1/planning/schedule'));
    const t0 = Date.now();
    const run = reschedule(t.app.db, { ...systemActor, id: 'planning:replan' }, { now: () => new Date() }, scheduleGate(t.app.db), {
      objective: 'tardiness',
      timeLimitSeconds: 20,
      frozenHours: 0,
      seed: 1,
      utcOffsetMinutes: 0,
      waitForTurn: true,
      overrunAfterMs: 300,
    });
    await expect(run).rejects.toThrow(/did not finish within 0.3 s/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await ok(admin('GET', '/api/v1/planning/schedule'))).toEqual(before);
    // the gate is free: a manual schedule is not refused with 409
    const manual = await admin('POST', '/api/v1/planning/schedule', { timeLimitSeconds: 0.2 });
    expect(manual.status).toBe(200);
  }, 60_000);

  it('debounces a flapping machine: short downs never replan, and a burst of changes is planned once', async () => {
    const count = (await replans()).length;
    for (let i = 0; i < 5; i++) {
      await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'ASSEMBLY', state: 'down' }), 201);
      await t.settle();
      await sleep(60);
      await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'ASSEMBLY', state: 'running' }), 201);
      await t.settle();
    }
    await sleep(5000);
    await t.settle();
    expect((await replans()).length).toBe(count);
    // long downs and returns in a burst: each restarts the wait, one replan at the end
    for (let i = 0; i < 3; i++) {
      await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'ASSEMBLY', state: 'down' }), 201);
      await t.settle();
      await sleep(1800);
      await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'ASSEMBLY', state: 'running' }), 201);
      await t.settle();
    }
    const last = await replanFor(/ASSEMBLY back up/);
    await sleep(4500);
    await t.settle();
    const list = await replans();
    expect(list.length).toBe(count + 1);
    // every reason of the burst is in that one replan (a down heard after its return is already over and adds none)
    expect(last.reasons.filter((r) => /ASSEMBLY down/.test(r)).length).toBeGreaterThanOrEqual(1);
    expect(last.reasons.every((r) => /^ASSEMBLY (down|back up)/.test(r))).toBe(true);
  }, 90_000);

  it('remembers across restarts: a breakdown planned around is still planned around and comes back when its centre is up; a trigger heard before a restart is replanned after it', async () => {
    const t0 = new Date();
    await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'LACING', state: 'down', reason: 'bearing', at: t0.toISOString() }), 201);
    const around = await replanFor(/LACING down since/, t0);
    expect(around.status).toBe('done'); // it may move nothing: on a weekend LACING's work is after the 8 hours anyway
    await t.restart();
    // a rush order heard, and the server restarted again before the debounce ended
    const rush = await orderWheels(admin, 2, 1);
    await t.settle();
    await t.restart();
    expect((await replans()).some((r) => r.reasons.some((x) => x.includes(rush)))).toBe(false);
    const rushed = await replanFor(new RegExp(`new order ${rush} released`), t0);
    expect(rushed.status).toBe('done');
    // LACING is still planned around: the rush order laces after the assumed end of the breakdown
    const { top, child } = await workOrdersOf(admin, rush);
    const lacing = [...top.operations, ...child.operations].filter((o: { workCenter: string }) => o.workCenter === 'LACING');
    expect(lacing.length).toBeGreaterThan(0);
    for (const o of lacing) expect(Date.parse(o.plannedStart)).toBeGreaterThanOrEqual(t0.getTime() + 8 * 3_600_000 - 120_000);
    await t.restart();
    // what the breakdown pushed back is remembered, to be planned again once LACING is up
    const pushedBack = async () => (await t.app.db.query<{ pushed_back: string[] }>(`select pushed_back from integration.replan_centres where work_center = 'LACING'`))[0]?.pushed_back;
    const movedWhileDown = new Set([...around.moved, ...rushed.moved].map((m) => m.id));
    expect(new Set(await pushedBack())).toEqual(movedWhileDown);
    await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'LACING', state: 'running' }), 201);
    const back = await replanFor(/LACING back up/, t0);
    expect(back.status).toBe('done');
    expect(await pushedBack()).toBeUndefined();
  }, 120_000);
});
