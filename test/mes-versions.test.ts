import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { inDays, ok, orderWheels, runOperation, wheelShop, workOrdersOf } from './support/factory.ts';

/**
 * Versions through the HTTP API: a work order keeps the BOM versions in force when its order was
 * approved (child levels and later top-ups too) and the routing version it was made with.
 */
let t: TestApp;
let admin: TestApp['call'];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  await t.settle();
});
afterAll(() => t?.close());

interface Wo {
  id: string;
  itemCode: string;
  qty: number;
  status: string;
  bomVersion: number | null;
  routingVersion: number | null;
  parentWorkOrder: string | null;
  operations: { id: string; seq: number; name: string; workCenter: string; alternatives: string[] }[];
}

describe(`BOM and routing versions (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('a BOM change after approval leaves the order\'s child work orders as approved, top-ups included', async () => {
    // the change is sent right after the approval: whichever the MES hears first, v1 was in force
    const so = await orderWheels(admin, 2);
    await ok(admin('PUT', '/api/v1/erp/boms/LACED', { components: [{ itemCode: 'RIM', qty: 1 }, { itemCode: 'SPOKE', qty: 36 }, { itemCode: 'HUB', qty: 1 }] }));
    await t.settle();
    const { top, child } = await workOrdersOf(admin, so);
    expect([top.bomVersion, child.bomVersion]).toEqual([1, 1]);

    // the sub-assembly is made; the line grows by one: the top-up of LACED explodes with v1 still
    await runOperation(admin, child.operations[0].id, { goodQty: 2, complete: true });
    await t.settle();
    await ok(admin('PATCH', `/api/v1/erp/sales-orders/${so}/lines/1`, { qty: 3 }), 202);
    await t.settle();
    expect((await ok(admin('GET', `/api/v1/erp/sales-orders/${so}`))).lines[0].changeStatus).toBe('accepted');
    const laced: Wo[] = (await workOrdersOf(admin, so)).all.filter((w: Wo) => w.itemCode === 'LACED');
    expect(laced.map((w) => [w.qty, w.status, w.bomVersion])).toEqual([[2, 'completed', 1], [1, 'released', 1]]);
    // a new order takes the new version
    const next = await orderWheels(admin, 1);
    await t.settle();
    expect((await workOrdersOf(admin, next)).child.bomVersion).toBe(2);
  });

  it('a routing change makes a new version and leaves an existing work order\'s operations unchanged', async () => {
    const before = await ok(admin('GET', '/api/v1/mes/routings/LACED'));
    expect(before.version).toBe(1);
    const old: Wo = await ok(admin('POST', '/api/v1/mes/work-orders', { itemCode: 'LACED', qty: 3, dueDate: inDays(9) }), 201);
    expect(old.routingVersion).toBe(1);
    const put = await ok(
      admin('PUT', '/api/v1/mes/routings/LACED', {
        operations: [
          { seq: 10, name: 'Lacing', workCenter: 'LACING', setupMinutes: 10, minutesPerUnit: 4, alternatives: ['ASSEMBLY'] },
          { seq: 20, name: 'Tension', workCenter: 'ASSEMBLY', setupMinutes: 0, minutesPerUnit: 1 },
        ],
      }),
    );
    expect(put.version).toBe(2);
    const current = await ok(admin('GET', '/api/v1/mes/routings/LACED'));
    expect(current).toMatchObject({ version: 2, operations: [{ seq: 10, minutesPerUnit: 4, alternatives: ['ASSEMBLY'] }, { seq: 20, alternatives: [] }] });

    const same: Wo = await ok(admin('GET', `/api/v1/mes/work-orders/${old.id}`));
    expect(same.routingVersion).toBe(1);
    expect(same.operations.map((o) => [o.seq, o.name, o.workCenter, o.alternatives])).toEqual([[10, 'Lacing', 'LACING', []]]);
    const fresh: Wo = await ok(admin('POST', '/api/v1/mes/work-orders', { itemCode: 'LACED', qty: 3, dueDate: inDays(9) }), 201);
    expect(fresh.routingVersion).toBe(2);
    expect(fresh.operations.map((o) => [o.seq, o.workCenter, o.alternatives])).toEqual([[10, 'LACING', ['ASSEMBLY']], [20, 'ASSEMBLY', []]]);
  });

  it('refuses an unknown alternative and a routing over two plants (422), and keeps the current version', async () => {
    const unknown = await admin('PUT', '/api/v1/mes/routings/LACED', {
      operations: [{ seq: 10, name: 'Lacing', workCenter: 'LACING', setupMinutes: 1, minutesPerUnit: 1, alternatives: ['NO-WC'] }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain('NO-WC');
    await ok(admin('POST', '/api/v1/mes/plants', { code: 'P2', name: 'Plant 2' }), 201);
    await ok(admin('POST', '/api/v1/mes/work-centers', { code: 'FAR', name: 'Far away', costPerHour: 10, plant: 'P2' }), 201);
    const split = await admin('PUT', '/api/v1/mes/routings/LACED', {
      operations: [{ seq: 10, name: 'Lacing', workCenter: 'LACING', setupMinutes: 1, minutesPerUnit: 1, alternatives: ['FAR'] }],
    });
    expect(split.status).toBe(422);
    expect((await ok(admin('GET', '/api/v1/mes/routings/LACED'))).version).toBe(2);
  });
});
