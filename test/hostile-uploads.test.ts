import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SHEET_ROWS, writeCsv } from '../src/platform/spreadsheet/index.ts';
import { ok } from './support/factory.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const db = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';
const XLSX = { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
let t: TestApp;
let admin: TestApp['call'];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
});
afterAll(() => t?.close());

interface Part {
  name: string;
  /** Offset of the local header this central-directory entry points at (several may share one). */
  local: number;
  compressed: number;
  declared: number;
}

/**
 * A zip built by hand: one small deflated blob behind one local header, and `parts` central
 * directory entries that all point at it, each declaring `declared` bytes (the overlapping-entry
 * bomb: a few KB on the wire, `parts × declared` bytes once inflated).
 */
function overlappingZip(inflated: number, parts: number, declared = inflated): Buffer {
  const data = deflateRawSync(Buffer.alloc(inflated, 0x41), { level: 9 });
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const entries: Part[] = Array.from({ length: parts }, (_, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, local: 0, compressed: data.length, declared }));
  const central = entries.map((e) => {
    const n = Buffer.from(e.name);
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(20, 6);
    h.writeUInt16LE(8, 10);
    h.writeUInt32LE(e.compressed, 20);
    h.writeUInt32LE(e.declared, 24);
    h.writeUInt16LE(n.length, 28);
    h.writeUInt32LE(e.local, 42);
    return Buffer.concat([h, n]);
  });
  const body = Buffer.concat([local, name, data]);
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts, 8);
  end.writeUInt16LE(parts, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, cd, end]);
}

const heap = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

describe(`hostile uploads (${db})`, () => {
  it('refuses a zip bomb of a few KB (hundreds of MB inflated) before inflating it: 413, memory untouched', async () => {
    const bomb = overlappingZip(4 * 1024 * 1024, 100); // 100 parts × 4 MiB = 400 MiB from one 4 KB blob
    expect(bomb.length).toBeLessThan(16 * 1024);
    const before = heap();
    const r = await admin('POST', '/api/v1/erp/import/customers', bomb, XLSX);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
    expect(r.body.error.message).toMatch(/compressed \d+:1 \(at most 100:1\): refused as a zip bomb/);
    expect(heap() - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a part that inflates to more than it declares (422), and one too large by its declared size (413)', async () => {
    const liar = overlappingZip(2 * 1024 * 1024, 1, 1_000);
    const r = await admin('POST', '/api/v1/erp/import/customers', liar, XLSX);
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/inflates to more than it declares/);
    const huge = overlappingZip(1024, 1, 40 * 1024 * 1024);
    const h = await admin('POST', '/api/v1/erp/import/customers', huge, XLSX);
    expect(h.status).toBe(413);
    expect(h.body.error.details).toEqual({ part: 'xl/worksheets/sheet1.xml', size: 40 * 1024 * 1024 });
  });

  it(`refuses more than ${MAX_SHEET_ROWS} rows with 413 and imports nothing`, async () => {
    const rows = Array.from({ length: MAX_SHEET_ROWS + 1 }, (_, i) => `R${i},N`);
    const r = await admin('POST', '/api/v1/erp/import/customers', ['code,name', ...rows].join('\n'), { 'content-type': 'text/csv' });
    expect(r.status).toBe(413);
    expect(r.body.error.details).toEqual({ rows: MAX_SHEET_ROWS + 1, maxRows: MAX_SHEET_ROWS });
    expect((await admin('GET', '/api/v1/erp/customers/R0')).status).toBe(404);
  });

  it('importing stock needs an inventory permission, not erp.master.write', async () => {
    await ok(admin('POST', '/api/v1/erp/items', { code: 'H-1', name: 'Bolt', kind: 'raw', uom: 'pcs' }), 201);
    const csv = 'itemCode,qty,lot\nH-1,10,HL-1\n';
    const planner = t.as(await t.userWith(['planner']));
    const refused = await planner('POST', '/api/v1/erp/import/stock', csv, { 'content-type': 'text/csv' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details).toEqual({ permission: 'erp.inventory.write' });
    expect((await planner('POST', '/api/v1/erp/import/customers', 'code,name\nH-C,Hans\n', { 'content-type': 'text/csv' })).status).toBe(200);
    const warehouse = t.as(await t.userWith(['warehouse']));
    const imported = await warehouse('POST', '/api/v1/erp/import/stock', csv, { 'content-type': 'text/csv' });
    expect(imported).toMatchObject({ status: 200, body: { imported: 1 } });
    expect((await warehouse('POST', '/api/v1/erp/import/customers', 'code,name\nH-D,Dora\n', { 'content-type': 'text/csv' })).status).toBe(403);
  });

  it('escapes formula cells in a CSV export with a leading quote', async () => {
    const names = ['=HYPERLINK("http://evil","x")', '+1 555 0100', '-2+3', '@SUM(A1)', 'Plain, Ltd'];
    for (const [i, name] of names.entries()) await ok(admin('POST', '/api/v1/erp/customers', { code: `F-${i}`, name }), 201);
    const csv = (await admin('GET', '/api/v1/erp/export/customers')).body as string;
    const lines = csv.split('\r\n').filter((l) => l.startsWith('F-'));
    expect(lines.slice(0, 4)).toEqual([`F-0,"'=HYPERLINK(""http://evil"",""x"")"`, "F-1,'+1 555 0100", "F-2,'-2+3", "F-3,'@SUM(A1)"]);
    expect(lines[4]).toBe('F-4,"Plain, Ltd"');
    // the API trims names; other columns may start with a tab or CR, and numbers stay numbers
    expect(writeCsv(['a', 'b', 'n'], [{ a: '\tTabbed', b: '\rReturn', n: -5 }])).toBe(`a,b,n\r\n'\tTabbed,"'\rReturn",-5\r\n`);
  });
});
