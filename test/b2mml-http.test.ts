import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOperationsSchedule, validateB2mml } from '../src/integration/b2mml/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, orderWheels, runOperation, wheelShop, workOrdersOf } from './support/factory.ts';

let t: TestApp;
let admin: TestApp['call'];
const XML = { 'content-type': 'application/xml' };

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  await t.settle();
});
afterAll(() => t?.close());

describe('B2MML V0701 over HTTP', () => {
  it('exports the operations schedule of a sales order and the performance of a work order, valid against the schemas', async () => {
    const so = await orderWheels(admin, 3);
    await t.settle();
    const schedule = await admin('GET', `/api/v1/integration/b2mml/operations-schedule/${so}`);
    expect(schedule.status).toBe(200);
    expect(schedule.headers['content-type']).toMatch(/application\/xml/);
    expect(schedule.body).toContain('ProcessOperationsSchedule');
    const v1 = await validateB2mml(schedule.body);
    expect(v1.errors).toEqual([]);
    expect(v1.valid).toBe(true);

    const { child } = await workOrdersOf(admin, so);
    await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'RIM', lot: 'RIM-L1', qty: 3 }), 201);
    await runOperation(admin, child.operations[0].id, { goodQty: 3, scrapQty: 1, laborMinutes: 20, machineMinutes: 18, complete: true });
    const perf = await admin('GET', `/api/v1/integration/b2mml/operations-performance/${child.id}`);
    expect(perf.status).toBe(200);
    expect(perf.body).toContain('RIM-L1');
    const v2 = await validateB2mml(perf.body);
    expect(v2.errors).toEqual([]);
  });

  it('turns a schedule of an outside ERP into work orders with their externalRef and acknowledges it', async () => {
    const doc = buildOperationsSchedule({
      id: 'SAP-4711',
      createdAt: new Date(),
      workOrders: [
        { id: 'SAP-REQ-1', itemCode: 'WHEEL', qty: 2, uom: 'pcs', operations: [{ seq: 10, name: 'Assemble', workCenter: 'ASSEMBLY' }], consumed: [] },
        { id: 'SAP-REQ-2', itemCode: 'NOT-AN-ITEM', qty: 1, uom: 'pcs', operations: [{ seq: 10, name: 'x', workCenter: 'ASSEMBLY' }], consumed: [] },
      ],
    });
    const r = await admin('POST', '/api/v1/integration/b2mml', doc, XML);
    expect(r.status).toBe(202);
    expect(r.body).toContain('AcknowledgeOperationsSchedule');
    expect((await validateB2mml(r.body)).valid).toBe(true);
    const wos = await ok(admin('GET', '/api/v1/mes/work-orders?externalRef=SAP-REQ-1'));
    expect(wos.length).toBeGreaterThanOrEqual(1);
    expect(wos[0]).toMatchObject({ itemCode: 'WHEEL', qty: 2, salesOrder: null });
    // the same document again makes nothing twice
    await admin('POST', '/api/v1/integration/b2mml', doc, XML);
    expect(await ok(admin('GET', '/api/v1/mes/work-orders?externalRef=SAP-REQ-1'))).toHaveLength(wos.length);
  });

  it('refuses external entities, documents that are not B2MML, and schedules of unknown items', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ProcessOperationsSchedule>&e;</ProcessOperationsSchedule>`;
    const r1 = await admin('POST', '/api/v1/integration/b2mml', xxe, XML);
    expect(r1.status).toBe(400);
    expect(r1.body.error.details.code).toBe('external-entities');
    const r2 = await admin('POST', '/api/v1/integration/b2mml', '<Hello/>', XML);
    expect(r2.status).toBe(422);
    const unknown = buildOperationsSchedule({
      id: 'X-1',
      createdAt: new Date(),
      workOrders: [{ id: 'X-REQ', itemCode: 'NOPE', qty: 1, uom: 'pcs', operations: [{ seq: 10, name: 'x', workCenter: 'W' }], consumed: [] }],
    });
    const r3 = await admin('POST', '/api/v1/integration/b2mml', unknown, XML);
    expect(r3.status).toBe(422);
  });
});
