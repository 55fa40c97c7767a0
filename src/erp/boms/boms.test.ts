import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payload } from '../../messages/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

let t: TestApp;
let admin: TestApp['call'];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
});
afterAll(() => t?.close());

const item = (code: string, kind: string, standardCost = 0) => admin('POST', '/api/v1/erp/items', { code, name: `Item ${code}`, kind, uom: 'pcs', standardCost });

describe(`items and BOMs (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('creates an item once (409 on a duplicate code) and tells the MES', async () => {
    const r = await item('B-RAW1', 'raw', 2);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ code: 'B-RAW1', kind: 'raw', standardCost: 2, lotControlled: true });
    expect((await item('B-RAW1', 'raw')).status).toBe(409);
    const [m] = await t.app.db.query<{ payload: Payload<'SyncMaterialDefinition'> }>(`select payload from platform.outbox where type = 'SyncMaterialDefinition' and payload::text like '%B-RAW1%'`);
    expect(m.payload.items[0]).toMatchObject({ code: 'B-RAW1', standardCost: 2 });
  });

  it('keeps the history of a rename', async () => {
    await item('B-REN', 'raw', 1);
    const r = await admin('PATCH', '/api/v1/erp/items/B-REN', { name: 'Steel sheet 2mm' });
    expect(r.status).toBe(200);
    const got = await admin('GET', '/api/v1/erp/items/B-REN');
    expect(got.body.name).toBe('Steel sheet 2mm');
    expect(got.body.history.map((h: { after: { name: string } }) => h.after.name)).toEqual(['Item B-REN', 'Steel sheet 2mm']);
    const audit = await admin('GET', '/api/v1/audit?entity=item&ref=B-REN');
    expect(audit.body.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['create', 'update']));
  });

  it('rolls up the standard cost of a 3-level BOM, with a new version on every PUT', async () => {
    await item('B-RAW2', 'raw', 3);
    await item('B-SUB', 'semi');
    await item('B-FG', 'finished');
    const sub = await admin('PUT', '/api/v1/erp/boms/B-SUB', { components: [{ itemCode: 'B-RAW1', qty: 2 }, { itemCode: 'B-RAW2', qty: 1, scrapFactor: 0.1 }] });
    expect(sub.status).toBe(200);
    expect(sub.body.version).toBe(1);
    const fg = await admin('PUT', '/api/v1/erp/boms/B-FG', { components: [{ itemCode: 'B-SUB', qty: 2 }, { itemCode: 'B-RAW1', qty: 1 }] });
    expect(fg.body.version).toBe(1);
    expect((await admin('GET', '/api/v1/erp/items/B-SUB')).body.standardCost).toBeCloseTo(7.3); // 2×2 + 3×1.1
    expect((await admin('GET', '/api/v1/erp/items/B-FG')).body.standardCost).toBeCloseTo(16.6); // 2×7.3 + 2
    const v2 = await admin('PUT', '/api/v1/erp/boms/B-SUB', { components: [{ itemCode: 'B-RAW1', qty: 1 }] });
    expect(v2.body.version).toBe(2);
    expect((await admin('GET', '/api/v1/erp/items/B-FG')).body.standardCost).toBeCloseTo(6); // 2×2 + 2
    expect((await admin('GET', '/api/v1/erp/boms/B-SUB?version=1')).body.components).toHaveLength(2);
    const synced = await t.app.db.query<{ payload: Payload<'SyncBillOfMaterial'> }>(`select payload from platform.outbox where type = 'SyncBillOfMaterial' and payload->>'itemCode' = 'B-SUB' order by seq`);
    expect(synced.map((m) => m.payload.version)).toEqual([1, 2]);
    // a raw material's new standard cost flows up at once
    await admin('PATCH', '/api/v1/erp/items/B-RAW1', { standardCost: 4 });
    expect((await admin('GET', '/api/v1/erp/items/B-FG')).body.standardCost).toBeCloseTo(12);
  });

  it('refuses a BOM that makes a cycle, with the path of the cycle', async () => {
    await item('C-A', 'finished');
    await item('C-B', 'semi');
    await item('C-C', 'semi');
    await admin('PUT', '/api/v1/erp/boms/C-A', { components: [{ itemCode: 'C-B', qty: 1 }] });
    await admin('PUT', '/api/v1/erp/boms/C-B', { components: [{ itemCode: 'C-C', qty: 1 }] });
    const r = await admin('PUT', '/api/v1/erp/boms/C-C', { components: [{ itemCode: 'C-A', qty: 1 }] });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('unprocessable');
    expect(r.body.error.details.cycle).toEqual(['C-C', 'C-A', 'C-B', 'C-C']);
    const self = await admin('PUT', '/api/v1/erp/boms/C-A', { components: [{ itemCode: 'C-A', qty: 1 }] });
    expect(self.status).toBe(422);
    expect((await admin('GET', '/api/v1/erp/boms/C-C')).status).toBe(404);
  });

  it('refuses a BOM naming an unknown item (422) and an unknown parent (404)', async () => {
    const r = await admin('PUT', '/api/v1/erp/boms/B-FG', { components: [{ itemCode: 'NOPE', qty: 1 }] });
    expect(r.status).toBe(422);
    expect(r.body.error.details.unknownItems).toEqual(['NOPE']);
    expect((await admin('PUT', '/api/v1/erp/boms/NOPE', { components: [] })).status).toBe(404);
  });
});
