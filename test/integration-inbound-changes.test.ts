import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, wheelShop } from './support/factory.ts';
import { exampleJson, kingdeeSystem, productionOrder } from './support/kingdee.ts';

let t: TestApp;
let admin: TestApp['call'];
const KD = '/api/v1/integration/systems/KD';
const treeOf = async (ref: string) => {
  const [top] = (await ok(admin('GET', `/api/v1/mes/work-orders?externalRef=${ref}`))).filter((w: { top: boolean }) => w.top);
  const laced = (await ok(admin('GET', '/api/v1/mes/work-orders?itemCode=LACED'))).find((w: { parentWorkOrder: string }) => w.parentWorkOrder === top?.id);
  return { top, laced };
};
const order = async (billNo: string) => ok(admin('POST', `${KD}/inbound/production-order`, productionOrder(billNo)), 202);

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  await t.settle();
  await kingdeeSystem(admin);
}, 180_000);
afterAll(() => t?.close());

describe(`outside systems inbound: changes, cancellations, reports, expressions (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('a change from the outside ERP applies to the whole tree: 4 boxes → 200 pcs and a new due date', async () => {
    await order('MO000123');
    const r = await ok(admin('POST', `${KD}/inbound/order-change`, exampleJson('order-change.json')), 202);
    expect(r.rejected).toEqual([]);
    expect(r.accepted[0].externalRef).toBe('MO000123-1');
    const { top, laced } = await treeOf('MO000123-1');
    expect(top).toMatchObject({ qty: 200, dueDate: '2026-12-22' });
    expect(laced).toMatchObject({ qty: 200, dueDate: '2026-12-22' });
  });

  it('a cut below what is already produced is rejected with its reason, and the work order is unchanged', async () => {
    await order('MO-CUT');
    await ok(admin('POST', `${KD}/inbound/report`, { order: 'MO-CUT-1', step: 10, station: 'ST-ASM', good: 60, scrap: 0, finished: true, worker: 'li.na' }), 202);
    await ok(admin('POST', `${KD}/inbound/report`, { order: 'MO-CUT-1', step: 20, station: 'ST-ASM', good: 60, scrap: 0, finished: false, worker: 'li.na' }), 202);
    const before = await treeOf('MO-CUT-1');
    expect(before.top.goodQty).toBe(60);
    const r = await ok(admin('POST', `${KD}/inbound/order-change`, { FBillNo: 'MO-CUT', FSeq: 1, FQty: 1, FUnitId: { FNumber: 'BOX50' }, FPlanFinishDate: '2026-12-30' }), 202);
    expect(r.accepted).toEqual([]);
    expect(r.rejected).toEqual([{ externalRef: 'MO-CUT-1', reason: `cut to 50 is below the 60 already produced by ${before.top.id}` }]);
    const after = await treeOf('MO-CUT-1');
    expect(after.top).toMatchObject({ qty: 150, dueDate: '2026-12-20' });
    expect(after.laced.qty).toBe(150);
  });

  it('a cancellation from the outside ERP cancels the open work orders of the tree', async () => {
    await order('MO000124');
    const cancel = { ...exampleJson('order-cancel.json'), FBillNo: 'MO000124' };
    const r = await ok(admin('POST', `${KD}/inbound/order-cancel`, cancel), 202);
    expect(r.accepted[0]).toMatchObject({ externalRef: 'MO000124-1' });
    const { top, laced } = await treeOf('MO000124-1');
    expect([top.status, laced.status]).toEqual(['cancelled', 'cancelled']);
    expect(top.operations.map((o: { status: string }) => o.status)).toEqual(['cancelled', 'cancelled']);
    const unknown = await ok(admin('POST', `${KD}/inbound/order-cancel`, { FBillNo: 'NEVER', FSeq: 1 }), 202);
    expect(unknown.rejected).toEqual([{ externalRef: 'NEVER-1', reason: 'no work orders for externalRef NEVER-1' }]);
  });

  it("a line controller's report through the performance mapping moves the work order", async () => {
    await order('MO-RUN');
    const sample = { ...exampleJson('report.json'), order: 'MO-RUN-1' };
    const r = await ok(admin('POST', `${KD}/inbound/report`, sample), 202);
    expect(r.accepted[0].workOrders[0]).toMatchObject({ status: 'in_progress', operation: { status: 'running', goodQty: 2 } });
    const { top } = await treeOf('MO-RUN-1');
    expect(top.status).toBe('in_progress');
    expect(top.operations[0]).toMatchObject({ seq: 10, status: 'running', goodQty: 2, operators: ['zhang.wei'] });
    await ok(admin('POST', `${KD}/inbound/report`, { ...sample, good: 148, finished: true }), 202);
    const done = await ok(admin('POST', `${KD}/inbound/report`, { ...sample, step: 20, good: 150, finished: true }), 202);
    expect(done.accepted[0].workOrders[0]).toMatchObject({ status: 'completed', goodQty: 150 });
    expect(done.accepted[0].workOrders[0].outputLots).toHaveLength(1);
    await t.settle();
    expect(await ok(admin('GET', '/api/v1/integration/dead-letters'))).toEqual([]);
    const station = await admin('POST', `${KD}/inbound/report`, { ...sample, station: 'ST-UNKNOWN' });
    expect(station.body.error.details.unmapped).toEqual([{ kind: 'workCenter', external: 'ST-UNKNOWN' }]);
  });

  it('a JSONata syntax error is 422 with its position; nothing is stored', async () => {
    const r = await admin('PUT', `${KD}/mappings/broken`, { message: 'order-cancel', expression: '{ "externalRef": FBillNo, }' });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/JSONata syntax error/);
    expect(r.body.error.details).toMatchObject({ reason: 'mapping_syntax', position: 27, jsonata: { code: 'S0211', token: '}' } });
    expect((await admin('GET', `${KD}/mappings/broken`)).status).toBe(404);
  });

  it('a runaway expression ends as 422 within its limit, and the server still answers', async () => {
    await ok(admin('PUT', `${KD}/mappings/runaway`, { message: 'order-cancel', expression: '( $f := function($x){$f($x)}; $f(1) )' }));
    const pending = admin('POST', `${KD}/inbound/runaway`, { any: 1 });
    const health = await t.call('GET', '/health');
    expect(health.status).toBe(200);
    const r = await pending;
    expect(r.status).toBe(422);
    expect(r.body.error.details).toMatchObject({ reason: 'mapping_limit', jsonata: { code: 'D1012' } });
    const deep = await ok(admin('PUT', `${KD}/mappings/deep`, { message: 'order-cancel', expression: '( $f := function($x){1 + $f($x)}; $f(1) )' }));
    expect(deep.name).toBe('deep');
    const d = await admin('POST', `${KD}/mappings/deep/test`, { sample: {} });
    expect(d.status).toBe(422);
    expect(d.body.error.details).toMatchObject({ reason: 'mapping_limit', jsonata: { code: 'D1011' } });
    expect((await t.call('GET', '/health')).status).toBe(200);
  });

  it('a mapping whose output has the wrong shape is 422 naming the path; a runtime error is 422 with its position', async () => {
    await ok(admin('PUT', `${KD}/mappings/shape`, { message: 'order-change', expression: '{ "externalRef": FBillNo, "qty": "many" }' }));
    const r = await admin('POST', `${KD}/inbound/shape`, { FBillNo: 'MO000123' });
    expect(r.status).toBe(422);
    expect(r.body.error.details.errors).toEqual([{ path: 'qty', message: expect.stringMatching(/number/) }]);
    await ok(admin('PUT', `${KD}/mappings/runtime`, { message: 'order-cancel', expression: '{ "externalRef": $string(FBillNo) & 1 + "x" }' }));
    const e = await admin('POST', `${KD}/inbound/runtime`, { FBillNo: 'A' });
    expect(e.status).toBe(422);
    expect(e.body.error.details).toMatchObject({ reason: 'mapping_error', jsonata: { code: 'T2001' } });
    expect(typeof e.body.error.details.position).toBe('number');
  });
});
