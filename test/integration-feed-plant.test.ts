import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOperationsSchedule } from '../src/integration/b2mml/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { inDays, ok, runOperation } from './support/factory.ts';

let t: TestApp;
let admin: TestApp['call'];

/** A second plant whose ERP is outside (Odoo): a gadget of two bolts, made on a work centre of plant P2. */
beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await ok(admin('POST', '/api/v1/erp/items', { code: 'BOLT', name: 'Bolt M8', kind: 'raw', uom: 'pcs', standardCost: 0.2, reorderPoint: 90, reorderQty: 500 }), 201);
  await ok(admin('POST', '/api/v1/erp/items', { code: 'GADGET', name: 'Gadget', kind: 'finished', uom: 'pcs' }), 201);
  await ok(admin('PUT', '/api/v1/erp/boms/GADGET', { components: [{ itemCode: 'BOLT', qty: 2 }] }));
  await ok(admin('POST', '/api/v1/mes/plants', { code: 'P2', name: 'Plant two' }), 201);
  await ok(admin('POST', '/api/v1/mes/work-centers', { code: 'P2-ASM', name: 'Assembly P2', plant: 'P2', costPerHour: 30 }), 201);
  await ok(admin('PUT', '/api/v1/mes/routings/GADGET', { operations: [{ seq: 10, name: 'Assemble', workCenter: 'P2-ASM', setupMinutes: 0, minutesPerUnit: 1 }] }));
  await ok(admin('POST', '/api/v1/erp/customers', { code: 'C-1', name: 'Customer' }), 201);
  // material lots of the plant arrive by receipt
  await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'BOLT', qty: 100, lot: 'BOLT-L1', unitCost: 0.2 }), 201);
  await t.settle();
});
afterAll(() => t?.close());

describe(`a plant whose ERP is outside (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('an outside ERP names the plants it runs; only an erp system runs plants, and only known ones', async () => {
    const put = await ok(admin('PUT', '/api/v1/integration/systems/ODOO', { name: 'Odoo', role: 'erp', plants: ['P2'] }));
    expect(put.plants).toEqual(['P2']);
    expect((await ok(admin('PUT', '/api/v1/integration/systems/ODOO', { name: 'Odoo 17', role: 'erp' }))).plants).toEqual(['P2']);
    const mes = await admin('PUT', '/api/v1/integration/systems/LINE', { name: 'Line', role: 'mes', plants: ['P2'] });
    expect(mes.status).toBe(422);
    const unknown = await admin('PUT', '/api/v1/integration/systems/SAP', { name: 'SAP', role: 'erp', plants: ['NOWHERE'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.unknownPlants).toEqual(['NOWHERE']);
    const taken = await admin('PUT', '/api/v1/integration/systems/SAP', { name: 'SAP', role: 'erp', plants: ['P2'] });
    expect(taken.status).toBe(409);
  });

  it("the built-in ERP's production request for the plant is refused with the reason, and makes no work order", async () => {
    const so = await ok(admin('POST', '/api/v1/erp/sales-orders', { customer: 'C-1', lines: [{ itemCode: 'GADGET', qty: 1, dueDate: inDays(10) }] }), 201);
    await ok(admin('POST', `/api/v1/erp/sales-orders/${so.id}/approve`));
    await t.settle();
    expect(await ok(admin('GET', `/api/v1/mes/work-orders?salesOrder=${so.id}`))).toEqual([]);
    const dead = (await ok(admin('GET', '/api/v1/integration/dead-letters'))).filter((d: { consumer: string }) => d.consumer === 'mes.orders');
    expect(dead).toHaveLength(1);
    expect(dead[0].reason).toBe('plant P2 is run by the outside ERP ODOO: its work orders come only from ODOO');
  });

  it('its work comes from the outside ERP and is reported to it alone: the built-in ERP books nothing', async () => {
    const doc = buildOperationsSchedule({
      id: 'OD-DOC-1',
      createdAt: new Date(),
      workOrders: [{ id: 'OD-MO-1', itemCode: 'GADGET', qty: 3, uom: 'pcs', operations: [{ seq: 10, name: 'Assemble', workCenter: 'P2-ASM' }], consumed: [] }],
    });
    // Odoo names things as Closeloop does, but every code still goes through its maps
    await ok(admin('PUT', '/api/v1/integration/systems/ODOO/code-maps/item', [{ external: 'GADGET', internal: 'GADGET' }]));
    await ok(admin('PUT', '/api/v1/integration/systems/ODOO/code-maps/uom', [{ external: 'pcs', internal: 'pcs', factor: 1 }]));
    const r = await admin('POST', '/api/v1/integration/b2mml?system=ODOO', doc, { 'content-type': 'application/xml' });
    expect(r.status, String(r.body)).toBe(202);
    const [wo] = await ok(admin('GET', '/api/v1/mes/work-orders?externalRef=OD-MO-1'));
    expect(wo).toMatchObject({ externalSystem: 'ODOO', qty: 3 });
    await ok(admin('POST', `/api/v1/mes/work-orders/${wo.id}/consume`, { itemCode: 'BOLT', lot: 'BOLT-L1', qty: 96 }), 201);
    await runOperation(admin, wo.operations[0].id, { goodQty: 3, laborMinutes: 10, complete: true });
    await t.settle();

    // the built-in ERP: no bolts issued (so no reorder alert at 4 left), no gadget received, no error
    const bolts = await ok(admin('GET', '/api/v1/erp/inventory/BOLT'));
    expect(bolts.onHand).toBe(100);
    const gadgets = await ok(admin('GET', '/api/v1/erp/inventory/GADGET'));
    expect(gadgets).toMatchObject({ onHand: 0, lots: [] });
    const alerts = await ok(admin('GET', '/api/v1/alerts'));
    expect(alerts.filter((a: { kind: string }) => a.kind === 'reorder' || a.kind === 'shortage')).toEqual([]);
    expect((await ok(admin('GET', '/api/v1/integration/dead-letters'))).filter((d: { consumer: string }) => d.consumer === 'erp.mes-inbound')).toEqual([]);
    // the MES has it all, and the outside ERP's feed reports it
    expect((await ok(admin('GET', `/api/v1/mes/work-orders/${wo.id}`))).status).toBe('completed');
    const feed = await ok(admin('GET', '/api/v1/integration/systems/ODOO/feed'));
    expect(feed.events.map((e: { type: string }) => e.type)).toEqual(['work_order.planned', 'material.consumed', 'work_order.progress', 'work_order.completed']);
    expect(feed.events[1].payload).toMatchObject({ itemCode: 'BOLT', lot: 'BOLT-L1', qty: 96, uom: 'pcs' });
  });
});
