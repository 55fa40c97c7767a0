import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { inDays, ok } from './support/factory.ts';

/**
 * Sequence-dependent setups through the API: a routing operation names its setup family, a work
 * centre carries its changeover matrix, and a reschedule plans the changeovers on that centre and
 * groups the families (the press changes colour once, not at every order).
 */
let t: TestApp;
let admin: TestApp['call'];
const AROUND_THE_CLOCK = { shifts: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, from: '00:00', to: '24:00' })) };
const matrix = [
  { from: 'RED', to: 'BLUE', minutes: 60 },
  { from: 'BLUE', to: 'RED', minutes: 60 },
];
interface Op { id: string; workCenter: string; plannedStart: string; plannedEnd: string }
interface Wo { id: string; itemCode: string; operations: Op[] }

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  for (const code of ['SU-RED', 'SU-BLUE']) await ok(admin('POST', '/api/v1/erp/items', { code, name: `Panel ${code}`, kind: 'finished', uom: 'pcs', standardCost: 5 }), 201);
  await t.settle();
}, 60_000);
afterAll(() => t?.close());

describe(`setups (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('a work centre keeps its changeover matrix and a routing operation its setup family; bad ones are refused with the field', async () => {
    expect(await ok(admin('POST', '/api/v1/mes/work-centers', { code: 'SU-PRESS', name: 'Paint press', costPerHour: 50, calendar: AROUND_THE_CLOCK, setupMatrix: matrix }), 201)).toMatchObject({ setupMatrix: matrix });
    expect(await ok(admin('GET', '/api/v1/mes/work-centers/SU-PRESS'))).toMatchObject({ setupMatrix: matrix });
    for (const [item, family] of [['SU-RED', 'RED'], ['SU-BLUE', 'BLUE']])
      await ok(admin('PUT', `/api/v1/mes/routings/${item}`, { operations: [{ seq: 10, name: 'Paint', workCenter: 'SU-PRESS', setupMinutes: 0, minutesPerUnit: 10, setupFamily: family }] }));
    expect((await ok(admin('GET', '/api/v1/mes/routings/SU-RED'))).operations[0]).toMatchObject({ setupFamily: 'RED' });

    const twice = await admin('PATCH', '/api/v1/mes/work-centers/SU-PRESS', { setupMatrix: [...matrix, { from: 'RED', to: 'BLUE', minutes: 5 }] });
    expect(twice.status).toBe(422);
    expect(twice.body.error.details).toMatchObject({ field: 'setupMatrix[2]', from: 'RED', to: 'BLUE' });
    const itself = await admin('PATCH', '/api/v1/mes/work-centers/SU-PRESS', { setupMatrix: [{ from: 'RED', to: 'BLUE', minutes: 5 }, { from: ' RED', to: 'RED ', minutes: 5 }] });
    expect(itself.status).toBe(422);
    expect(itself.body.error.details).toMatchObject({ field: 'setupMatrix[1]', from: 'RED', to: 'RED' });
    expect((await admin('PATCH', '/api/v1/mes/work-centers/SU-PRESS', { setupMatrix: [{ from: 'RED', to: 'BLUE', minutes: -1 }] })).status).toBe(400);
    expect((await admin('PATCH', '/api/v1/mes/work-centers/SU-PRESS', { setupMatrix: Array.from({ length: 401 }, (_, k) => ({ from: `F${k}`, to: 'X', minutes: 1 })) })).status).toBe(400);
    expect((await admin('PUT', '/api/v1/mes/routings/SU-RED', { operations: [{ seq: 10, name: 'Paint', workCenter: 'SU-PRESS', setupMinutes: 0, minutesPerUnit: 10, setupFamily: 'R'.repeat(65) }] })).status).toBe(400);
    // unchanged by the refusals; a PATCH without the matrix keeps it
    expect(await ok(admin('PATCH', '/api/v1/mes/work-centers/SU-PRESS', { costPerHour: 55 }))).toMatchObject({ costPerHour: 55, setupMatrix: matrix });
  });

  it('a reschedule plans the changeovers and paints one colour after the other', async () => {
    const made: Wo[] = [];
    for (const item of ['SU-RED', 'SU-BLUE', 'SU-RED', 'SU-BLUE', 'SU-RED', 'SU-BLUE'])
      made.push(await ok(admin('POST', '/api/v1/mes/work-orders', { itemCode: item, qty: 6, dueDate: inDays(30) }), 201));
    // the work order carries its routing's family onto its operation
    await ok(admin('POST', '/api/v1/planning/schedule', { objective: 'makespan', timeLimitSeconds: 1 }));
    const ops = (await Promise.all(made.map(async (w) => (await ok(admin('GET', `/api/v1/mes/work-orders/${w.id}`))) as Wo)))
      .flatMap((w) => w.operations.map((o) => ({ ...o, family: w.itemCode === 'SU-RED' ? 'RED' : 'BLUE' })))
      .sort((a, b) => a.plannedStart.localeCompare(b.plannedStart));
    const minutes = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 60_000;
    let changes = 0;
    ops.forEach((o, k) => {
      const change = k > 0 && ops[k - 1].family !== o.family;
      if (change) changes++;
      // a changeover is planned inside the operation's own time, before its 60 minutes of work
      expect(minutes(o.plannedStart, o.plannedEnd), o.id).toBe(60 + (change ? 60 : 0));
      if (k > 0) expect(o.plannedStart >= ops[k - 1].plannedEnd, `${o.id} overlaps`).toBe(true);
    });
    expect(changes).toBe(1);
    expect(minutes(ops[0].plannedStart, ops.at(-1)!.plannedEnd)).toBe(6 * 60 + 60);
  });
});
