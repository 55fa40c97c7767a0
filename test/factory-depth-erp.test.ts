import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { inDays, ok, workOrdersOf } from './support/factory.ts';

/**
 * Factory depth, the ERP side, through the public HTTP API: warehouses and transfers with
 * consumption from the lot's warehouse, units of measure, incoming inspection, and progress by
 * standard hours at every BOM level.
 */
let t: TestApp;
let admin: TestApp['call'];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  for (const it of [
    { code: 'FD-RAW', name: 'Steel blank', kind: 'raw', uom: 'pcs', standardCost: 2 },
    { code: 'FD-SUB', name: 'Bracket', kind: 'semi', uom: 'pcs' },
    { code: 'FD-FG', name: 'Frame', kind: 'finished', uom: 'pcs' },
    { code: 'FD-SCREW', name: 'Screw M4', kind: 'raw', uom: 'pcs', standardCost: 0.02 },
    { code: 'FD-WIRE', name: 'Wire', kind: 'raw', uom: 'kg', standardCost: 4 },
    { code: 'FD-PAINT', name: 'Paint', kind: 'raw', uom: 'l', standardCost: 9, inspectOnReceipt: true },
  ])
    await ok(admin('POST', '/api/v1/erp/items', it), 201);
  await ok(admin('PUT', '/api/v1/erp/boms/FD-SUB', { components: [{ itemCode: 'FD-RAW', qty: 2 }] }));
  await ok(admin('PUT', '/api/v1/erp/boms/FD-FG', { components: [{ itemCode: 'FD-SUB', qty: 1 }] }));
  await ok(admin('POST', '/api/v1/mes/work-centers', { code: 'FD-WC', name: 'Press', costPerHour: 60, laborCostPerHour: 30 }), 201);
  // standard minutes of an order of 10: bracket 10 + 5 × 10 = 60, frame 5 + 2 × 10 = 25
  await ok(admin('PUT', '/api/v1/mes/routings/FD-SUB', { operations: [{ seq: 10, name: 'Press', workCenter: 'FD-WC', setupMinutes: 10, minutesPerUnit: 5 }] }));
  await ok(admin('PUT', '/api/v1/mes/routings/FD-FG', { operations: [{ seq: 10, name: 'Weld', workCenter: 'FD-WC', setupMinutes: 5, minutesPerUnit: 2 }] }));
  await ok(admin('POST', '/api/v1/erp/customers', { code: 'FD-C', name: 'Frames Inc' }), 201);
  await ok(admin('POST', '/api/v1/erp/suppliers', { code: 'FD-S', name: 'Paints Ltd' }), 201);
  await t.settle();
});
afterAll(() => t?.close());

const stock = async (code: string) => ok(admin('GET', `/api/v1/erp/inventory/${code}`));
const order = async (lines: unknown[]) => {
  const so = await ok(admin('POST', '/api/v1/erp/sales-orders', { customer: 'FD-C', lines }), 201);
  await ok(admin('POST', `/api/v1/erp/sales-orders/${so.id}/approve`));
  await t.settle();
  return so.id as string;
};

describe(`factory depth, ERP side (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let so = '';

  it('warehouses belong to a plant; an unknown one is 422 naming it, never a silent MAIN', async () => {
    expect(await ok(admin('POST', '/api/v1/erp/warehouses', { code: 'WH2', name: 'Second store' }), 201)).toEqual({ code: 'WH2', name: 'Second store', plant: 'main' });
    await ok(admin('POST', '/api/v1/erp/warehouses', { code: 'LINE-1', name: 'Press line', plant: 'main' }), 201);
    expect((await admin('POST', '/api/v1/erp/warehouses', { code: 'WH2', name: 'again' })).status).toBe(409);
    const codes = (await ok(admin('GET', '/api/v1/erp/warehouses'))).map((w: { code: string }) => w.code);
    expect(codes).toEqual(['LINE-1', 'MAIN', 'WH2']);
    const bad = await admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'FD-RAW', qty: 5, lot: 'FD-X', warehouse: 'WH9' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('WH9');
    expect(bad.body.error.details).toMatchObject({ field: 'warehouse', warehouse: 'WH9' });
    expect((await stock('FD-RAW')).onHand).toBe(0);
  });

  it('stock received into WH2 is transferred to the line warehouse and consumed there by lot, without a dead letter', async () => {
    expect(await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'FD-RAW', qty: 100, lot: 'FD-L1', unitCost: 2, warehouse: 'WH2' }), 201)).toMatchObject({ lotQty: 100, warehouse: 'WH2' });
    const tooMuch = await admin('POST', '/api/v1/erp/inventory/transfers', { itemCode: 'FD-RAW', lot: 'FD-L1', qty: 101, from: 'WH2', to: 'LINE-1' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.details).toMatchObject({ warehouse: 'WH2', onHand: 100, requested: 101 });
    const nowhere = await admin('POST', '/api/v1/erp/inventory/transfers', { itemCode: 'FD-RAW', lot: 'FD-L1', qty: 1, from: 'WH2', to: 'NOPE' });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.error.details).toMatchObject({ field: 'to', warehouse: 'NOPE' });
    // nothing moved in MAIN: the lot is not there
    expect((await admin('POST', '/api/v1/erp/inventory/transfers', { itemCode: 'FD-RAW', lot: 'FD-L1', qty: 1, from: 'MAIN', to: 'LINE-1' })).status).toBe(409);
    await ok(admin('POST', '/api/v1/erp/inventory/transfers', { itemCode: 'FD-RAW', lot: 'FD-L1', qty: 30, from: 'WH2', to: 'LINE-1' }), 201);
    expect(await stock('FD-RAW')).toMatchObject({
      onHand: 100,
      available: 100,
      warehouses: [
        { code: 'LINE-1', onHand: 30, available: 30 },
        { code: 'WH2', onHand: 70, available: 70 },
      ],
      lots: [
        { lot: 'FD-L1', qty: 30, status: 'available', warehouse: 'LINE-1' },
        { lot: 'FD-L1', qty: 70, status: 'available', warehouse: 'WH2' },
      ],
    });

    so = await order([{ itemCode: 'FD-FG', qty: 10, dueDate: inDays(20) }]);
    const { child } = await workOrdersOf(admin, so);
    expect(child).toMatchObject({ itemCode: 'FD-SUB', qty: 10 });
    await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'FD-RAW', lot: 'FD-L1', qty: 20 }), 201);
    await t.settle();
    expect(await stock('FD-RAW')).toMatchObject({
      onHand: 80,
      warehouses: [
        { code: 'LINE-1', onHand: 10, available: 10 },
        { code: 'WH2', onHand: 70, available: 70 },
      ],
    });
    const moves = await ok(admin('GET', '/api/v1/erp/inventory/FD-RAW/moves?lot=FD-L1'));
    expect(moves.filter((m: { kind: string }) => m.kind === 'issue').map((m: { warehouse: string; qty: number; workOrderId: string }) => [m.warehouse, m.qty, m.workOrderId])).toEqual([['LINE-1', -20, child.id]]);
    const dead = await t.app.db.query<{ n: number }>(`select count(*)::int as n from platform.dead_letters where type = 'ProcessMaterialActual'`);
    expect(dead[0].n).toBe(0);
  });

  it('a report on the sub-assembly moves the line by its standard hours; producedQty stays the finished quantity', async () => {
    const { child } = await workOrdersOf(admin, so);
    await ok(admin('POST', `/api/v1/mes/operations/${child.operations[0].id}/start`, { operator: 'op-1' }));
    await ok(admin('POST', `/api/v1/mes/operations/${child.operations[0].id}/report`, { goodQty: 4 }));
    await t.settle();
    const line = (await ok(admin('GET', `/api/v1/erp/sales-orders/${so}`))).lines[0];
    // 60 standard minutes × 4/10 earned of 60 + 25: 24 / 85
    expect(line).toMatchObject({ producedQty: 0, progress: 0.2824 });
  });

  it('units: 3 boxes of 50 are 150 pcs; fractions of whole units and unknown units are 422', async () => {
    await ok(admin('POST', '/api/v1/erp/items/FD-SCREW/uoms', { uom: 'box', factor: 50 }), 201);
    expect((await admin('POST', '/api/v1/erp/items/FD-SCREW/uoms', { uom: 'bag', factor: 2.5 })).status).toBe(422);
    expect(await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'FD-SCREW', qty: 3, uom: 'box', lot: 'SCR-1', unitCost: 1 }), 201)).toMatchObject({ qty: 150, lotQty: 150, unitCost: 0.02 });
    expect(await stock('FD-SCREW')).toMatchObject({ onHand: 150, lots: [{ lot: 'SCR-1', qty: 150, warehouse: 'MAIN' }] });
    const half = await admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'FD-SCREW', qty: 0.5, lot: 'SCR-2' });
    expect(half.status).toBe(422);
    expect(half.body.error.details).toMatchObject({ uom: 'pcs', qty: 0.5 });
    expect((await admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'FD-SCREW', qty: 0.5, uom: 'box', lot: 'SCR-2' })).status).toBe(422);
    const crate = await admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'FD-SCREW', qty: 1, uom: 'crate', lot: 'SCR-2' });
    expect(crate.status).toBe(422);
    expect(crate.body.error.message).toContain('crate');
    expect((await stock('FD-SCREW')).onHand).toBe(150);
    // a unit counted in decimals keeps 6 of them
    await ok(admin('POST', '/api/v1/erp/items/FD-WIRE/uoms', { uom: 'coil', factor: 12.5 }), 201);
    expect(await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'FD-WIRE', qty: 0.25, uom: 'coil', lot: 'W-1' }), 201)).toMatchObject({ qty: 3.125 });
  });

  it('a sales line in another unit asks the MES for the stock quantity', async () => {
    await ok(admin('POST', '/api/v1/erp/items/FD-FG/uoms', { uom: 'pallet', factor: 4 }), 201);
    expect((await admin('POST', '/api/v1/erp/sales-orders', { customer: 'FD-C', lines: [{ itemCode: 'FD-FG', qty: 1, uom: 'crate', dueDate: inDays(30) }] })).status).toBe(422);
    const id = await order([{ itemCode: 'FD-FG', qty: 2, uom: 'pallet', dueDate: inDays(30) }]);
    expect((await ok(admin('GET', `/api/v1/erp/sales-orders/${id}`))).lines[0]).toMatchObject({ qty: 8, uom: 'pallet', orderedQty: 2 });
    const { top } = await workOrdersOf(admin, id);
    expect(top).toMatchObject({ itemCode: 'FD-FG', qty: 8 });
  });

  it('an item inspected on receipt arrives on hold, the MES knows the lot and its supplier, and its release reaches the ERP', async () => {
    expect(await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'FD-PAINT', qty: 20, lot: 'PNT-1', supplier: 'FD-S', unitCost: 9 }), 201)).toMatchObject({ status: 'hold' });
    await t.settle();
    expect(await stock('FD-PAINT')).toMatchObject({ onHand: 20, available: 0, onHold: 20, lots: [{ lot: 'PNT-1', status: 'hold' }] });
    expect(await ok(admin('GET', '/api/v1/mes/lots/PNT-1'))).toMatchObject({ status: 'hold', holdReason: 'inspection on receipt', supplier: 'FD-S', qty: 20 });
    expect((await admin('POST', '/api/v1/erp/inventory/issues', { itemCode: 'FD-PAINT', lot: 'PNT-1', qty: 1 })).status).toBe(409);
    await ok(admin('POST', '/api/v1/mes/lots/PNT-1/disposition', { decision: 'release' }));
    await t.settle();
    expect(await stock('FD-PAINT')).toMatchObject({ available: 20, onHold: 0, lots: [{ lot: 'PNT-1', status: 'available' }] });

    await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'FD-PAINT', qty: 5, lot: 'PNT-2', supplier: 'FD-S' }), 201);
    await t.settle();
    await ok(admin('POST', '/api/v1/mes/lots/PNT-2/disposition', { decision: 'reject' }));
    await t.settle();
    expect(await stock('FD-PAINT')).toMatchObject({ onHand: 25, available: 20, onHold: 0 });
    expect((await stock('FD-PAINT')).lots).toContainEqual({ lot: 'PNT-2', qty: 5, status: 'rejected', warehouse: 'MAIN' });
  });
  it("material staged for a work order goes to its work centre's supply warehouse, and is consumed there", async () => {
    await ok(admin('POST', '/api/v1/erp/warehouses', { code: 'LINE-2', name: 'Weld line', plant: 'main' }), 201);
    expect(await ok(admin('PATCH', '/api/v1/mes/work-centers/FD-WC', { supplyWarehouse: 'LINE-2' }))).toMatchObject({ code: 'FD-WC', supplyWarehouse: 'LINE-2' });
    const staged = await order([{ itemCode: 'FD-FG', qty: 5, dueDate: inDays(25) }]);
    const { child } = await workOrdersOf(admin, staged);
    await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'FD-RAW', qty: 10, lot: 'FD-L2', unitCost: 2, warehouse: 'WH2' }), 201);
    // staging names the work order, not the warehouse
    expect(await ok(admin('POST', '/api/v1/erp/inventory/transfers', { itemCode: 'FD-RAW', lot: 'FD-L2', qty: 10, from: 'WH2', workOrderId: child.id }), 201)).toMatchObject({ from: 'WH2', to: 'LINE-2', qty: 10 });
    // the MES hears of the lot through the bus
    await t.settle();
    await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'FD-RAW', lot: 'FD-L2', qty: 10 }), 201);
    await t.settle();
    const moves = await ok(admin('GET', '/api/v1/erp/inventory/FD-RAW/moves?lot=FD-L2'));
    // newest first: reversed, the lot's path
    expect(moves.map((m: { kind: string; warehouse: string; qty: number }) => [m.kind, m.warehouse, m.qty]).reverse()).toEqual([
      ['receipt', 'WH2', 10],
      ['transfer', 'WH2', -10],
      ['transfer', 'LINE-2', 10],
      ['issue', 'LINE-2', -10],
    ]);
    // a work order of a centre without a supply warehouse, or none at all: 422 naming what to send
    await ok(admin('PATCH', '/api/v1/mes/work-centers/FD-WC', { supplyWarehouse: null }));
    const bare = await order([{ itemCode: 'FD-FG', qty: 1, dueDate: inDays(26) }]);
    const noSupply = await admin('POST', '/api/v1/erp/inventory/transfers', { itemCode: 'FD-RAW', lot: 'FD-L1', qty: 1, from: 'WH2', workOrderId: (await workOrdersOf(admin, bare)).child.id });
    expect(noSupply.status).toBe(422);
    expect(noSupply.body.error.details).toMatchObject({ field: 'to' });
    expect((await admin('POST', '/api/v1/erp/inventory/transfers', { itemCode: 'FD-RAW', lot: 'FD-L1', qty: 1, from: 'WH2' })).status).toBe(422);
  });
});
