import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { inDays, ok, runOperation, wheelShop } from './support/factory.ts';

/**
 * Make-to-stock through the HTTP API: a work order without a sales order, exploded per BOM level,
 * whose finished lot lands in ERP stock; an item without a routing is refused. Incoming
 * inspection: a supplier lot held on receipt is released (or rejected) in both systems.
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

describe(`make-to-stock work orders (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('a make-to-stock order of a 2-level item completes and its lot is in ERP stock', async () => {
    const made = await ok(admin('POST', '/api/v1/mes/work-orders', { itemCode: 'WHEEL', qty: 4, dueDate: inDays(10) }), 201);
    expect(made).toMatchObject({ itemCode: 'WHEEL', qty: 4, status: 'released', salesOrder: null, lineNo: null, parentWorkOrder: null, plant: 'main' });
    expect(made.operations.map((o: { seq: number }) => o.seq)).toEqual([10, 20]);
    const child = made.workOrders.find((w: { parentWorkOrder: string | null }) => w.parentWorkOrder === made.id);
    expect(child).toMatchObject({ itemCode: 'LACED', qty: 4, salesOrder: null, plant: 'main' });
    expect(made.workOrders).toHaveLength(2);

    await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'RIM', lot: 'RIM-L1', qty: 4 }), 201);
    await runOperation(admin, child.operations[0].id, { goodQty: 4, complete: true });
    await t.settle();
    const laced = await ok(admin('GET', `/api/v1/mes/work-orders/${child.id}`));
    expect(laced.status).toBe('completed');
    const lacedLot = laced.outputLots[0].lot;
    await ok(admin('POST', `/api/v1/mes/work-orders/${made.id}/consume`, { itemCode: 'LACED', lot: lacedLot, qty: 4 }), 201);
    await runOperation(admin, made.operations[0].id, { goodQty: 4, complete: true });
    await runOperation(admin, made.operations[1].id, { goodQty: 4, complete: true });
    await t.settle();

    const top = await ok(admin('GET', `/api/v1/mes/work-orders/${made.id}`));
    expect(top.status).toBe('completed');
    expect(top.outputLots).toHaveLength(1);
    const lot = top.outputLots[0].lot;
    const wheels = await ok(admin('GET', '/api/v1/erp/inventory/WHEEL'));
    expect(wheels.onHand).toBe(4);
    expect(wheels.available).toBe(4);
    expect(wheels.lots).toEqual([expect.objectContaining({ lot, qty: 4, status: 'available' })]);
    // the laced wheels went in and out of stock: none left
    expect((await ok(admin('GET', '/api/v1/erp/inventory/LACED'))).onHand).toBe(0);
    // nothing went to dead letters on the way
    expect(await ok(admin('GET', '/api/v1/integration/dead-letters'))).toEqual([]);
  });

  it('refuses an item without a routing (422 naming it), an unknown item and an unknown plant, and makes nothing', async () => {
    await ok(admin('POST', '/api/v1/erp/items', { code: 'BARE', name: 'No routing', kind: 'finished', uom: 'pcs' }), 201);
    await ok(admin('PUT', '/api/v1/erp/boms/BARE', { components: [{ itemCode: 'TYRE', qty: 2 }] }));
    await t.settle();
    const before = (await ok(admin('GET', '/api/v1/mes/work-orders'))).length;
    const bare = await admin('POST', '/api/v1/mes/work-orders', { itemCode: 'BARE', qty: 1, dueDate: inDays(5) });
    expect(bare.status).toBe(422);
    expect(bare.body.error.details).toMatchObject({ items: ['BARE'], reason: 'no_routing' });
    expect((await admin('POST', '/api/v1/mes/work-orders', { itemCode: 'NOPE', qty: 1, dueDate: inDays(5) })).status).toBe(422);
    const plant = await admin('POST', '/api/v1/mes/work-orders', { itemCode: 'WHEEL', qty: 1, dueDate: inDays(5), plant: 'P-NONE' });
    expect(plant.status).toBe(422);
    expect(plant.body.error.message).toContain('P-NONE');
    expect((await admin('POST', '/api/v1/mes/work-orders', { itemCode: 'WHEEL', qty: 0, dueDate: inDays(5) })).status).toBe(400);
    expect((await ok(admin('GET', '/api/v1/mes/work-orders'))).length).toBe(before);
  });

  it('a held supplier lot is inspected and released, another fails and is rejected: MES and ERP both show it, the trace names the supplier', async () => {
    const inspector = t.as(await t.userWith(['inspector']));
    await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'HUB', qty: 20, lot: 'HUB-IN1', supplier: 'S-RIMS', unitCost: 15 }), 201);
    await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'HUB', qty: 5, lot: 'HUB-IN2', supplier: 'S-RIMS', unitCost: 15 }), 201);
    for (const lot of ['HUB-IN1', 'HUB-IN2'])
      await ok(admin('POST', `/api/v1/erp/inventory/HUB/lots/${lot}/status`, { status: 'hold', reason: 'incoming inspection' }));
    await t.settle();
    expect(await ok(admin('GET', '/api/v1/mes/lots/HUB-IN1'))).toMatchObject({ status: 'hold', supplier: 'S-RIMS', workOrder: null });

    const pass = await ok(inspector('POST', '/api/v1/mes/inspections', { lot: 'HUB-IN1', result: 'pass' }), 201);
    expect(pass).toMatchObject({ workOrder: null, lot: 'HUB-IN1', supplier: 'S-RIMS', result: 'pass', lotStatus: 'available' });
    const fail = await ok(inspector('POST', '/api/v1/mes/inspections', { lot: 'HUB-IN2', result: 'fail', defects: [{ code: 'burr', qty: 2 }], note: 'burrs' }), 201);
    expect(fail).toMatchObject({ lot: 'HUB-IN2', result: 'fail', lotStatus: 'rejected' });
    await t.settle();

    expect((await ok(admin('GET', '/api/v1/mes/lots/HUB-IN1'))).status).toBe('available');
    expect((await ok(admin('GET', '/api/v1/mes/lots/HUB-IN2'))).status).toBe('rejected');
    const hubs = await ok(admin('GET', '/api/v1/erp/inventory/HUB'));
    const statusOf = (lot: string) => hubs.lots.find((l: { lot: string }) => l.lot === lot)?.status;
    expect([statusOf('HUB-IN1'), statusOf('HUB-IN2')]).toEqual(['available', 'rejected']);
    const trace = await ok(admin('GET', '/api/v1/trace/lots/HUB-IN1?direction=forward'));
    expect(trace).toMatchObject({ lot: 'HUB-IN1', itemCode: 'HUB', supplier: 'S-RIMS' });
    // the rejected lot cannot be consumed; neither a work order nor a lot is a 400
    const wo = await ok(admin('POST', '/api/v1/mes/work-orders', { itemCode: 'LACED', qty: 1, dueDate: inDays(7) }), 201);
    expect((await admin('POST', `/api/v1/mes/work-orders/${wo.id}/consume`, { itemCode: 'HUB', lot: 'HUB-IN2', qty: 1 })).status).toBe(409);
    expect((await inspector('POST', '/api/v1/mes/inspections', { result: 'pass' })).status).toBe(400);
    expect((await inspector('POST', '/api/v1/mes/inspections', { lot: 'NO-SUCH', result: 'pass' })).status).toBe(422);
    const alerts = await ok(admin('GET', '/api/v1/alerts'));
    expect(alerts.filter((a: { kind: string; ref: string }) => a.kind === 'quality_hold' && a.ref === 'HUB-IN2')).toHaveLength(1);
  });

  it('MRP with releaseMake turns its make suggestions into work orders for stock, one level each, pegged to their demand', async () => {
    await ok(admin('POST', '/api/v1/erp/items', { code: 'WSET', name: 'Wheel set', kind: 'finished', uom: 'pcs', leadTimeDays: 1, safetyStock: 3 }), 201);
    await ok(admin('PUT', '/api/v1/erp/boms/WSET', { components: [{ itemCode: 'LACED', qty: 2 }] }));
    await ok(admin('PUT', '/api/v1/mes/routings/WSET', { operations: [{ seq: 10, name: 'Pair', workCenter: 'ASSEMBLY', setupMinutes: 0, minutesPerUnit: 1 }] }));
    await t.settle();
    const run = await ok(admin('POST', '/api/v1/planning/mrp', { releaseMake: true }));
    const make = run.plannedOrders.filter((p: { kind: string }) => p.kind === 'make');
    const wset = make.find((p: { itemCode: string }) => p.itemCode === 'WSET');
    const laced = make.find((p: { itemCode: string }) => p.itemCode === 'LACED');
    expect(wset.qty).toBe(3);
    expect(laced.qty).toBeGreaterThan(0);
    const made = run.madeWorkOrders as { id: string; itemCode: string; qty: number; peggedTo: string[] }[];
    expect(made.map((w) => [w.itemCode, w.qty, w.peggedTo]).sort()).toEqual(
      make.map((p: { itemCode: string; qty: number; peggedTo: string[] }) => [p.itemCode, p.qty, p.peggedTo]).sort(),
    );
    const top = await ok(admin('GET', `/api/v1/mes/work-orders/${made.find((w) => w.itemCode === 'WSET')!.id}`));
    expect(top).toMatchObject({ itemCode: 'WSET', qty: 3, salesOrder: null, parentWorkOrder: null, peggedTo: wset.peggedTo });
    // one level: the laced wheels come from their own suggestion, not from a child of WSET
    const all = await ok(admin('GET', '/api/v1/mes/work-orders?status=released'));
    expect(all.filter((w: { parentWorkOrder: string | null }) => w.parentWorkOrder === top.id)).toEqual([]);
    // without releaseMake nothing is made
    const before = (await ok(admin('GET', '/api/v1/mes/work-orders'))).length;
    expect((await ok(admin('POST', '/api/v1/planning/mrp', {}))).madeWorkOrders).toBeUndefined();
    expect((await ok(admin('GET', '/api/v1/mes/work-orders'))).length).toBe(before);
  });
});
