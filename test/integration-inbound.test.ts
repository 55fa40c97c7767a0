import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, wheelShop } from './support/factory.ts';
import { CSV, example, exampleJson, kingdeeSystem, productionOrder } from './support/kingdee.ts';

let t: TestApp;
let admin: TestApp['call'];
const KD = '/api/v1/integration/systems/KD';
const topOf = async (ref: string) => (await ok(admin('GET', `/api/v1/mes/work-orders?externalRef=${ref}`))).filter((w: { top: boolean }) => w.top);

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  await t.settle();
  await kingdeeSystem(admin);
}, 180_000);
afterAll(() => t?.close());

describe(`outside systems inbound: code maps and production requests (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('code maps come from the example CSV and list back; uom rows keep their factor', async () => {
    expect(await ok(admin('GET', `${KD}/code-maps/uom`))).toEqual([
      { external: 'BOX50', internal: 'pcs', factor: 50 },
      { external: 'Pcs', internal: 'pcs', factor: 1 },
    ]);
    expect(await ok(admin('GET', `${KD}/code-maps/item`))).toEqual([
      { external: '01.01.0001', internal: 'RIM' },
      { external: '03.01.0001', internal: 'WHEEL' },
      { external: '03.02.0001', internal: 'LACED' },
    ]);
  });

  it('a bad code map is refused whole, every row error numbered as the spreadsheet numbers it', async () => {
    const csv = 'external,internal,factor\nBOX50,pcs,50\nBOX10,pcs,\nBAG,pcs,-2\nBOX50,pcs,5\n';
    const r = await admin('PUT', `${KD}/code-maps/uom`, csv, CSV);
    expect(r.status).toBe(422);
    expect(r.body.error.details.rows).toEqual([
      { row: 3, field: 'factor', message: 'a uom row needs its factor (1 external unit = factor internal units)' },
      { row: 4, field: 'factor', message: 'factor must be greater than 0' },
      { row: 5, field: 'external', message: 'BOX50 appears twice (also row 2)' },
    ]);
    const items = await admin('PUT', `${KD}/code-maps/item`, [{ external: 'A', internal: 'WHEEL' }, { external: 'B', internal: 'NO-SUCH-ITEM' }, { external: 'C', internal: 'RIM', factor: 2 }]);
    expect(items.status).toBe(422);
    expect(items.body.error.details.rows).toEqual([{ row: 3, field: 'factor', message: 'factor is for uom rows only, not item' }]);
    const unknown = await admin('PUT', `${KD}/code-maps/workCenter`, [{ external: 'X', internal: 'NOWHERE' }]);
    expect(unknown.body.error.details.rows).toEqual([{ row: 1, field: 'internal', message: 'workCenter NOWHERE is unknown to Closeloop' }]);
    expect(await ok(admin('GET', `${KD}/code-maps/uom`))).toHaveLength(2);
    expect(await ok(admin('GET', `${KD}/code-maps/workCenter`))).toHaveLength(2);
    expect((await admin('PUT', `${KD}/code-maps/colour`, [])).status).toBe(400);
  });

  it('a Kingdee production order in boxes of 50 becomes a work order for the right item and quantity (3 boxes → 150 pcs)', async () => {
    const r = await ok(admin('POST', `${KD}/inbound/production-order`, exampleJson('production-order.json')), 202);
    expect(r.rejected).toEqual([]);
    expect(r.accepted).toHaveLength(1);
    expect(r.accepted[0].externalRef).toBe('MO000123-1');
    const [top] = await topOf('MO000123-1');
    expect(top).toMatchObject({ itemCode: 'WHEEL', qty: 150, dueDate: '2026-12-20', externalSystem: 'KD', status: 'released', salesOrder: null });
    expect(r.accepted[0].workOrders.map((w: { id: string }) => w.id)).toContain(top.id);
    const laced = await ok(admin('GET', '/api/v1/mes/work-orders?itemCode=LACED'));
    expect(laced.find((w: { parentWorkOrder: string }) => w.parentWorkOrder === top.id)).toMatchObject({ qty: 150 });
  });

  it("a BatchSave of several bills (Model as an array) makes every line of every bill in one call", async () => {
    const bills = ['MO-BATCH-A', 'MO-BATCH-B', 'MO-BATCH-C'].map((no) => productionOrder(no).Model);
    bills[1].FTreeEntity.push({ ...bills[1].FTreeEntity[0], FSeq: 2, FQty: 1, FUnitId: { FNumber: 'Pcs' } });
    const r = await ok(admin('POST', `${KD}/inbound/production-order`, { Model: bills }), 202);
    expect(r.accepted.map((a: { externalRef: string }) => a.externalRef)).toEqual(['MO-BATCH-A-1', 'MO-BATCH-B-1', 'MO-BATCH-B-2', 'MO-BATCH-C-1']);
    expect((await topOf('MO-BATCH-B-2'))[0]).toMatchObject({ itemCode: 'WHEEL', qty: 1 });
    expect((await topOf('MO-BATCH-C-1'))[0]).toMatchObject({ itemCode: 'WHEEL', qty: 150 });
  });

  it('the same request twice makes one work order and answers the same', async () => {
    const first = await ok(admin('POST', `${KD}/inbound/production-order`, productionOrder('MO-TWICE')), 202);
    const again = await ok(admin('POST', `${KD}/inbound/production-order`, productionOrder('MO-TWICE')), 202);
    expect(again.accepted[0].workOrders[0].id).toBe(first.accepted[0].workOrders[0].id);
    expect(await topOf('MO-TWICE-1')).toHaveLength(1);
  });

  it('two identical requests at once make one work order', async () => {
    const [a, b] = await Promise.all([
      admin('POST', `${KD}/inbound/production-order`, productionOrder('MO-RACE')),
      admin('POST', `${KD}/inbound/production-order`, productionOrder('MO-RACE')),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.accepted[0].workOrders[0].id).toBe(b.body.accepted[0].workOrders[0].id);
    expect(await topOf('MO-RACE-1')).toHaveLength(1);
  });

  it('codes without a map are all listed, and nothing is applied', async () => {
    const order = productionOrder('MO-UNMAPPED');
    order.Model.FTreeEntity.push({ FSeq: 2, FMaterialId: { FNumber: '09.99.0001' }, FQty: 1, FUnitId: { FNumber: 'Pcs' }, FPlanFinishDate: '2026-12-21 00:00:00' });
    order.Model.FTreeEntity[0].FUnitId.FNumber = 'CRATE';
    order.Model.FPrdOrgId.FNumber = '200';
    const r = await admin('POST', `${KD}/inbound/production-order`, order);
    expect(r.status).toBe(422);
    expect(r.body.error.details.unmapped).toEqual([
      { kind: 'uom', external: 'CRATE' },
      { kind: 'plant', external: '200' },
      { kind: 'item', external: '09.99.0001' },
    ]);
    expect(await topOf('MO-UNMAPPED-1')).toEqual([]);
    expect(await topOf('MO-UNMAPPED-2')).toEqual([]);
  });

  it("a unit that maps to another unit than the item's stock unit is refused, naming it", async () => {
    await ok(admin('PUT', `${KD}/code-maps/uom`, `${example('uom.csv')}KG,kg,1\n`, CSV));
    const r = await admin('POST', `${KD}/inbound/production-order`, productionOrder('MO-KG', { FUnitId: { FNumber: 'KG' } }));
    expect(r.status).toBe(422);
    expect(r.body.error.details.errors).toEqual([{ path: 'requests.0.uom', message: 'unit KG maps to kg, but item WHEEL is stocked in pcs' }]);
    expect(await topOf('MO-KG-1')).toEqual([]);
  });

  it('a dry run shows the output, the unmapped codes and the errors, and changes nothing', async () => {
    const sample = productionOrder('MO-DRY', { FMaterialId: { FNumber: '07.00.0001' } });
    const r = await ok(admin('POST', `${KD}/mappings/production-order/test`, { sample }));
    expect(r.output).toEqual({ requests: [{ externalRef: 'MO-DRY-1', itemCode: '07.00.0001', qty: 3, uom: 'BOX50', dueDate: '2026-12-20', plant: '100' }] });
    expect(r.unmapped).toEqual([{ kind: 'item', external: '07.00.0001' }]);
    expect(r.errors).toEqual([]);
    const good = await ok(admin('POST', `${KD}/mappings/production-order/test`, { sample: productionOrder('MO-DRY') }));
    expect(good.translated).toEqual({ message: 'production-request', items: [{ externalRef: 'MO-DRY-1', itemCode: 'WHEEL', qty: 150, dueDate: '2026-12-20', plant: 'main' }] });
    const wrong = await ok(admin('POST', `${KD}/mappings/production-order/test`, { sample: { Model: { FBillNo: 'X', FTreeEntity: [{ FSeq: 1, FQty: -1 }] } } }));
    expect(wrong.errors).toEqual([
      { path: 'requests.0.itemCode', message: expect.any(String) },
      { path: 'requests.0.qty', message: expect.any(String) },
      { path: 'requests.0.dueDate', message: expect.any(String) },
    ]);
    expect(await topOf('MO-DRY-1')).toEqual([]);
  });

  it('docs/integration.md shows the very example files the tests run', () => {
    const doc = readFileSync(new URL('../docs/integration.md', import.meta.url), 'utf8');
    for (const f of ['production-order.json', 'production-order.jsonata', 'item.csv', 'uom.csv', 'plant.csv', 'workCenter.csv', 'report.json', 'report.jsonata', 'order-change.jsonata', 'order-cancel.jsonata'])
      expect(doc, f).toContain(example(f));
  });

  it('an unknown system or mapping is 404', async () => {
    expect((await admin('POST', '/api/v1/integration/systems/NOPE/inbound/production-order', {})).status).toBe(404);
    expect((await admin('PUT', '/api/v1/integration/systems/NOPE/code-maps/item', [])).status).toBe(404);
    expect((await admin('POST', `${KD}/inbound/no-such-mapping`, {})).status).toBe(404);
    const connector = t.as(await t.userWith(['integration']));
    expect((await connector('POST', `${KD}/inbound/production-order`, productionOrder('MO-CONNECTOR'))).status).toBe(202);
    const planner = t.as(await t.userWith(['planner']));
    expect((await planner('POST', `${KD}/inbound/production-order`, productionOrder('MO-PLANNER'))).status).toBe(403);
  });
});
