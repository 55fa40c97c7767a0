import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

let t: TestApp;
let admin: TestApp['call'];
const csv = (entity: string, text: string) => admin('POST', `/api/v1/erp/import/${entity}`, text, { 'content-type': 'text/csv' });

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
});
afterAll(() => t?.close());

describe(`spreadsheet import and export (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('refuses a CSV with bad rows as a whole, naming each row as a spreadsheet numbers it', async () => {
    const r = await csv(
      'items',
      ['code,name,kind,uom,standardCost', 'T-1,Bolt,raw,pcs,0.5', 'T-2,Nut,metal,pcs,0.2', 'T-3,Washer,raw,pcs,cheap', 'T-1,Bolt again,raw,pcs,1'].join('\n'),
    );
    expect(r.status).toBe(422);
    expect(r.body.error.details.rows).toEqual([
      { row: 3, field: 'kind', message: expect.any(String) },
      { row: 4, field: 'standardCost', message: expect.any(String) },
      { row: 5, field: 'code', message: expect.stringMatching(/twice/) },
    ]);
    expect((await admin('GET', '/api/v1/erp/items/T-1')).status).toBe(404); // nothing half-imported
  });

  it('imports items, customers, suppliers, BOMs and opening stock from CSV, and exports them again', async () => {
    expect((await csv('items', 'code,name,kind,uom,standardCost,reorderPoint,reorderQty\nT-1,Bolt,raw,pcs,0.5,100,500\nT-2,Nut,raw,pcs,0.2,,\nT-K,Kit,finished,set,,,\n')).body).toEqual({ imported: 3 });
    expect((await csv('customers', 'code,name\nT-C1,"ACME, Inc."\n')).body).toEqual({ imported: 1 });
    expect((await csv('suppliers', 'code,name\nT-S1,Fasteners Ltd\n')).body).toEqual({ imported: 1 });
    expect((await csv('boms', 'parent,component,qty\nT-K,T-1,4\nT-K,T-2,4\n')).body).toEqual({ imported: 2 });
    expect((await admin('GET', '/api/v1/erp/items/T-K')).body.standardCost).toBeCloseTo(2.8);
    expect((await csv('stock', 'itemCode,qty,lot,supplier,unitCost\nT-1,1000,B-1,T-S1,0.45\n')).body).toEqual({ imported: 1 });
    expect((await admin('GET', '/api/v1/erp/inventory/T-1')).body).toMatchObject({ onHand: 1000, lots: [{ lot: 'B-1', qty: 1000, status: 'available' }] });

    expect((await csv('boms', 'parent,component,qty\nT-K,T-1,4\nT-K,T-2,4\n')).body).toEqual({ imported: 2 });
    expect((await admin('GET', '/api/v1/erp/boms/T-K')).body.version).toBe(1); // the same BOM again: no new version
    const bad = await csv('boms', 'parent,component,qty\nT-K,T-1,2\nT-K,NOPE,1\n');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.rows).toEqual([{ row: 3, field: 'component', message: 'unknown item NOPE' }]);
    expect((await admin('GET', '/api/v1/erp/boms/T-K')).body.version).toBe(1);

    const items = await admin('GET', '/api/v1/erp/export/items');
    expect(items.status).toBe(200);
    expect(items.headers['content-type']).toMatch(/text\/csv/);
    expect(items.body.split('\r\n')[0]).toBe('code,name,kind,uom,standardCost,leadTimeDays,reorderPoint,reorderQty,lotControlled,inspectOnReceipt');
    expect(items.body).toContain('T-1,Bolt,raw,pcs,0.5,0,100,500,true,false');
    expect((await admin('GET', '/api/v1/erp/export/customers')).body).toContain('T-C1,"ACME, Inc."');
    expect((await admin('GET', '/api/v1/erp/export/boms')).body).toContain('T-K,T-2,4,0');
  });

  it('imports an .xlsx workbook, and refuses one with a bad row', async () => {
    const book = async (rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('customers');
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const type = { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    const good = await admin('POST', '/api/v1/erp/import/customers', await book([['code', 'name'], ['X-C1', '华东机械'], ['X-C2', 'Nordic Tools']]), type);
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ imported: 2 });
    expect((await admin('GET', '/api/v1/erp/customers/X-C1')).body.name).toBe('华东机械');
    const bad = await admin('POST', '/api/v1/erp/import/customers', await book([['code', 'name'], ['X-C3', 'Fine'], ['X-C4', null]]), type);
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.rows).toEqual([{ row: 3, field: 'name', message: expect.any(String) }]);
    expect((await admin('GET', '/api/v1/erp/customers/X-C3')).status).toBe(404);
    const exported = await t.app.http.inject({ method: 'GET', url: '/api/v1/erp/export/customers?format=xlsx', headers: { authorization: `Bearer ${t.adminToken}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(exported.rawPayload).buffer); // exceljs types its input as an ArrayBuffer
    expect(wb.worksheets[0].getRow(1).values).toEqual([undefined, 'code', 'name']);
    expect(wb.worksheets[0].rowCount).toBe(4);
  });
});
