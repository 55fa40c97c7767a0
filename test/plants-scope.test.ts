import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { inDays, ok, wheelShop } from './support/factory.ts';

/**
 * Two plants, two users each scoped to one, through the HTTP API: work orders carry their work
 * centres' plant; each user sees and executes only their own plant's work, traces and KPIs.
 */
let t: TestApp;
let admin: TestApp['call'];
let main: TestApp['call'];
let p2: TestApp['call'];
let wheel: { id: string; operations: { id: string }[] };
let crank: { id: string; operations: { id: string }[] };

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  await ok(admin('POST', '/api/v1/mes/plants', { code: 'P2', name: 'Second plant' }), 201);
  await ok(admin('POST', '/api/v1/mes/work-centers', { code: 'P2-ASM', name: 'Crank line', costPerHour: 20, plant: 'P2' }), 201);
  await ok(admin('POST', '/api/v1/erp/items', { code: 'CRANK', name: 'Crank', kind: 'finished', uom: 'pcs' }), 201);
  await ok(admin('PUT', '/api/v1/erp/boms/CRANK', { components: [{ itemCode: 'HUB', qty: 1 }] }));
  await ok(admin('PUT', '/api/v1/mes/routings/CRANK', { operations: [{ seq: 10, name: 'Press', workCenter: 'P2-ASM', setupMinutes: 0, minutesPerUnit: 1 }] }));
  await t.settle();
  const roles = ['supervisor', 'inspector', 'manager'];
  main = t.as(await t.userWith(roles, { plants: ['main'] }));
  p2 = t.as(await t.userWith(roles, { plants: ['P2'] }));
  wheel = await ok(admin('POST', '/api/v1/mes/work-orders', { itemCode: 'WHEEL', qty: 2, dueDate: inDays(8) }), 201);
  crank = await ok(admin('POST', '/api/v1/mes/work-orders', { itemCode: 'CRANK', qty: 3, dueDate: inDays(8) }), 201);
});
afterAll(() => t?.close());

const codes = (wos: { itemCode: string; plant: string }[]) => wos.map((w) => `${w.itemCode}@${w.plant}`).sort();

describe(`plants that scope (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('a work order carries the plant of its work centres; a plant its routing is not in is refused', async () => {
    expect(codes(await ok(admin('GET', '/api/v1/mes/work-orders')))).toEqual(['CRANK@P2', 'LACED@main', 'WHEEL@main']);
    const wrong = await admin('POST', '/api/v1/mes/work-orders', { itemCode: 'CRANK', qty: 1, dueDate: inDays(8), plant: 'main' });
    expect(wrong.status).toBe(422);
    expect((await main('POST', '/api/v1/mes/work-orders', { itemCode: 'CRANK', qty: 1, dueDate: inDays(8) })).status).toBe(403);
    expect((await ok(p2('POST', '/api/v1/mes/work-orders', { itemCode: 'CRANK', qty: 1, dueDate: inDays(8), plant: 'P2' }), 201)).plant).toBe('P2');
    await ok(admin('POST', `/api/v1/mes/work-orders/${(await ok(admin('GET', '/api/v1/mes/work-orders?itemCode=CRANK&status=released'))).at(-1).id}/cancel`, {}));
  });

  it('each scoped user sees only their own plant\'s work orders and operations', async () => {
    expect(codes(await ok(main('GET', '/api/v1/mes/work-orders?status=released')))).toEqual(['LACED@main', 'WHEEL@main']);
    expect(codes(await ok(p2('GET', '/api/v1/mes/work-orders?status=released')))).toEqual(['CRANK@P2']);
    expect((await p2('GET', `/api/v1/mes/work-orders/${wheel.id}`)).status).toBe(403);
    expect((await main('GET', `/api/v1/mes/work-orders/${crank.id}`)).status).toBe(403);
  });

  it('the cockpit\'s WIP is per plant; a scoped user reads their own plant and not the other', async () => {
    expect((await ok(admin('GET', '/api/v1/cockpit/kpis?plant=main'))).wipQty).toBe(4);
    expect((await ok(admin('GET', '/api/v1/cockpit/kpis?plant=P2'))).wipQty).toBe(3);
    expect((await ok(p2('GET', '/api/v1/cockpit/kpis'))).wipQty).toBe(3);
    expect((await ok(main('GET', '/api/v1/cockpit/kpis'))).wipQty).toBe(4);
    expect((await p2('GET', '/api/v1/cockpit/kpis?plant=main')).status).toBe(403);
  });

  it('no one starts or reports the other plant\'s operations (403); each runs their own, and traces only their own lots', async () => {
    expect((await main('POST', `/api/v1/mes/operations/${crank.operations[0].id}/start`, { operator: 'm1' })).status).toBe(403);
    expect((await p2('POST', `/api/v1/mes/operations/${wheel.operations[0].id}/start`, { operator: 'p1' })).status).toBe(403);
    expect((await main('POST', `/api/v1/mes/operations/${crank.operations[0].id}/report`, { goodQty: 1 })).status).toBe(403);
    expect((await main('POST', `/api/v1/mes/work-orders/${crank.id}/consume`, { itemCode: 'HUB', lot: 'HUB-L1', qty: 1 })).status).toBe(403);

    await ok(p2('POST', `/api/v1/mes/work-orders/${crank.id}/consume`, { itemCode: 'HUB', lot: 'HUB-L1', qty: 3 }), 201);
    await ok(p2('POST', `/api/v1/mes/operations/${crank.operations[0].id}/start`, { operator: 'p1' }));
    await ok(p2('POST', `/api/v1/mes/operations/${crank.operations[0].id}/report`, { goodQty: 3, complete: true }));
    await t.settle();
    const done = await ok(p2('GET', `/api/v1/mes/work-orders/${crank.id}`));
    expect(done.status).toBe('completed');
    const lot = done.outputLots[0].lot;
    const trace = await ok(p2('GET', `/api/v1/trace/lots/${lot}`));
    expect(trace).toMatchObject({ lot, itemCode: 'CRANK', workOrder: crank.id, children: [{ lot: 'HUB-L1', qty: 3, supplier: 'S-RIMS' }] });
    expect((await main('GET', `/api/v1/trace/lots/${lot}`)).status).toBe(403);
    expect((await main('GET', `/api/v1/mes/lots/${lot}`)).status).toBe(403);
    // forward from the shared supplier lot: each sees the uses in their own plant only
    expect((await ok(p2('GET', '/api/v1/trace/lots/HUB-L1?direction=forward'))).children.map((c: { lot: string }) => c.lot)).toEqual([lot]);
    expect((await ok(main('GET', '/api/v1/trace/lots/HUB-L1?direction=forward'))).children).toEqual([]);
    expect((await ok(admin('GET', '/api/v1/cockpit/kpis?plant=P2'))).wipQty).toBe(0);
  });
});
