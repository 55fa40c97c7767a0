import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { systemActor } from '../../platform/index.ts';
import { erpKpiFacts, erpPlanningInputs, erpReconcileView } from '../index.ts';

let t: TestApp;
let admin: TestApp['call'];
const at = '2026-11-20T08:00:00.000Z';
const none = { laborMinutes: 0, machineMinutes: 0, energyKwh: 0, laborCost: 0, machineCost: 0, energyCost: 0 };

/** Plays the MES: messages as the MES would send them for one order, then waits for the ERP. */
async function fromMes(messages: [string, unknown][], correlationId: string | null) {
  await t.app.db.unitOfWork({ actor: systemActor, module: 'mes' }, async (u) => {
    for (const [type, payload] of messages) u.emitRaw(type, payload, { correlationId });
  });
  await t.settle();
}

async function releasedOrder(qty: number) {
  const so = await admin('POST', '/api/v1/erp/sales-orders', { customer: 'F-CUST', lines: [{ itemCode: 'F-FG', qty, dueDate: '2026-12-31' }] });
  await admin('POST', `/api/v1/erp/sales-orders/${so.body.id}/approve`);
  return so.body.id as string;
}
const ack = (id: string, qty: number): [string, unknown] => [
  'AcknowledgeOperationsSchedule',
  {
    salesOrderId: id,
    lines: [
      {
        lineNo: 1,
        workOrders: [
          { id: `${id}-F`, itemCode: 'F-FG', qty, parentWorkOrder: null, plannedStart: at, plannedEnd: at },
          { id: `${id}-S`, itemCode: 'F-SEMI', qty, parentWorkOrder: `${id}-F`, plannedStart: at, plannedEnd: at },
        ],
        plannedStart: at,
        plannedEnd: at,
        standard: { labor: 50, machine: 30 },
      },
    ],
  },
];
const perf = (id: string, wo: 'F' | 'S', event: string, good: number, booked = none): [string, unknown] => [
  'ProcessOperationsPerformance',
  { salesOrderId: id, lineNo: 1, workOrderId: `${id}-${wo}`, itemCode: wo === 'F' ? 'F-FG' : 'F-SEMI', top: wo === 'F', event, operationId: null, workOrderQty: 10, goodQty: good, scrapQty: 0, booked, at },
];
const consumed = (id: string, wo: 'F' | 'S', itemCode: string, lot: string, qty: number): [string, unknown] => [
  'ProcessMaterialActual',
  { salesOrderId: id, workOrderId: `${id}-${wo}`, itemCode, lot, qty, at },
];
const produced = (id: string, wo: 'F' | 'S', lot: string, qty: number, status = 'available'): [string, unknown] => [
  'ProcessProducedLot',
  { salesOrderId: id, lineNo: 1, workOrderId: `${id}-${wo}`, top: wo === 'F', itemCode: wo === 'F' ? 'F-FG' : 'F-SEMI', lot, qty, status, at },
];

beforeAll(async () => {
  t = await startTestApp({ handlersOf: ['erp'] });
  admin = t.as(t.adminToken);
  await admin('POST', '/api/v1/erp/items', { code: 'F-RAW', name: 'Steel', kind: 'raw', uom: 'kg', standardCost: 2 });
  await admin('POST', '/api/v1/erp/items', { code: 'F-SEMI', name: 'Bracket', kind: 'semi', uom: 'pcs' });
  await admin('POST', '/api/v1/erp/items', { code: 'F-FG', name: 'Frame', kind: 'finished', uom: 'pcs' });
  await admin('PUT', '/api/v1/erp/boms/F-SEMI', { components: [{ itemCode: 'F-RAW', qty: 2 }] });
  await admin('PUT', '/api/v1/erp/boms/F-FG', { components: [{ itemCode: 'F-SEMI', qty: 1 }, { itemCode: 'F-RAW', qty: 1 }] });
  await admin('POST', '/api/v1/erp/customers', { code: 'F-CUST', name: 'ACME' });
  await admin('POST', '/api/v1/erp/suppliers', { code: 'F-SUP', name: 'Steel Co' });
  await admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'F-RAW', qty: 200, lot: 'RA1', supplier: 'F-SUP', unitCost: 2.5 });
});
afterAll(() => t?.close());

describe(`a full order through costing (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('costs an order from the MES facts, without counting its own semi-finished lot twice, and the journal balances', async () => {
    const id = await releasedOrder(10);
    expect((await admin('GET', '/api/v1/erp/items/F-FG')).body.standardCost).toBe(6);
    const conv = { laborMinutes: 60, machineMinutes: 30, energyKwh: 10, laborCost: 20, machineCost: 10, energyCost: 0 };
    await fromMes(
      [
        ack(id, 10),
        perf(id, 'S', 'started', 0),
        consumed(id, 'S', 'F-RAW', 'RA1', 20),
        perf(id, 'S', 'completed', 10, conv),
        produced(id, 'S', `${id}-S1`, 10),
        consumed(id, 'F', 'F-SEMI', `${id}-S1`, 10),
        consumed(id, 'F', 'F-RAW', 'RA1', 10),
        perf(id, 'F', 'completed', 10, { laborMinutes: 75, machineMinutes: 45, energyKwh: 20, laborCost: 25, machineCost: 15, energyCost: 5 }),
        produced(id, 'F', `${id}-F1`, 10),
      ],
      id,
    );
    expect(await t.app.db.query(`select * from platform.dead_letters`)).toEqual([]);
    const o = (await admin('GET', `/api/v1/erp/sales-orders/${id}`)).body;
    expect(o.status).toBe('completed');
    expect(o.lines[0]).toMatchObject({ producedQty: 10, progress: 1 });

    const cost = (await admin('GET', `/api/v1/erp/sales-orders/${id}/cost`)).body;
    expect(cost.standard).toEqual({ material: 60, labor: 50, machine: 30, total: 140 });
    expect(cost.actual).toMatchObject({ material: 75, labor: 45, machine: 30, total: 150 });
    expect(cost.variance).toBe(10);
    const [lot] = await t.app.db.query<{ unit_cost: string }>(`select unit_cost from erp.lots where lot = $1`, [`${id}-F1`]);
    expect(Number(lot.unit_cost)).toBe(15); // (80 semi + 25 raw + 45 conversion) / 10

    const ship = await admin('POST', `/api/v1/erp/sales-orders/${id}/ship`);
    expect(ship.status).toBe(200);
    expect(ship.body.status).toBe('shipped');
    expect(ship.body.shipments).toEqual([{ lineNo: 1, itemCode: 'F-FG', lot: `${id}-F1`, qty: 10 }]);

    const journal = (await admin('GET', `/api/v1/erp/sales-orders/${id}/journal`)).body;
    expect(journal.balanced).toBe(true);
    expect(journal.debit).toBe(journal.credit);
    for (const e of journal.entries) expect(e.lines.reduce((s: number, l: { debit: number; credit: number }) => s + l.debit - l.credit, 0)).toBeCloseTo(0, 6);
    expect(journal.balances['1400 Work in progress']).toBeCloseTo(0, 6);
    expect(journal.balances['5000 Cost of goods sold']).toBe(140);
    expect(journal.balances['5100 Production variance']).toBe(10);
    expect(journal.balances['1300 Raw materials']).toBe(-75);
  });

  it('a held finished lot is not shipped until the MES releases it', async () => {
    const id = await releasedOrder(5);
    await fromMes([ack(id, 5), perf(id, 'F', 'completed', 5), produced(id, 'F', `${id}-F1`, 5, 'hold')], id);
    expect((await admin('GET', `/api/v1/erp/sales-orders/${id}`)).body.status).toBe('completed');
    expect((await admin('GET', '/api/v1/erp/inventory/F-FG')).body).toMatchObject({ onHand: 5, available: 0, onHold: 5 });
    const refused = await admin('POST', `/api/v1/erp/sales-orders/${id}/ship`);
    expect(refused.status).toBe(409);
    await fromMes([['SyncMaterialLot', { lot: `${id}-F1`, itemCode: 'F-FG', status: 'available', reason: 'passed final inspection' }]], null);
    const ship = await admin('POST', `/api/v1/erp/sales-orders/${id}/ship`);
    expect(ship.status).toBe(200);
    expect(ship.body.status).toBe('shipped');
  });

  it('ships finished lots first in, first out, and only what is available', async () => {
    await admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'F-FG', qty: 4, lot: 'OLD', unitCost: 6 });
    await admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'F-FG', qty: 4, lot: 'NEW', unitCost: 6 });
    const id = await releasedOrder(10);
    await fromMes([ack(id, 10), perf(id, 'F', 'completed', 10), produced(id, 'F', `${id}-F1`, 1, 'hold')], id);
    const ship = await admin('POST', `/api/v1/erp/sales-orders/${id}/ship`);
    expect(ship.body.shipments.map((s: { lot: string; qty: number }) => [s.lot, s.qty])).toEqual([
      ['OLD', 4],
      ['NEW', 4],
    ]);
    expect(ship.body.status).toBe('completed'); // 2 still to ship
    expect(ship.body.lines[0].shippedQty).toBe(8);
  });

  it('gives other modules its read API: planning inputs, reconciliation view, KPI facts', async () => {
    const id = await releasedOrder(7);
    const plan = await erpPlanningInputs(t.app.db);
    expect(plan.items.find((i) => i.code === 'F-RAW')).toMatchObject({ kind: 'raw', purchased: true, standardCost: 2 });
    expect(plan.boms.find((b) => b.parent === 'F-FG')?.components).toEqual([
      { itemCode: 'F-SEMI', qty: 1, scrapFactor: 0 },
      { itemCode: 'F-RAW', qty: 1, scrapFactor: 0 },
    ]);
    expect(plan.demands).toContainEqual({ itemCode: 'F-FG', qty: 7, dueDate: '2026-12-31', ref: `${id}/1` });
    expect(plan.onHand.find((s) => s.itemCode === 'F-RAW')?.qty).toBe(170);

    const rec = await erpReconcileView(t.app.db);
    expect(rec.orderLines).toContainEqual(expect.objectContaining({ salesOrderId: id, lineNo: 1, qty: 7, status: 'released' }));
    expect(rec.workOrders).toContainEqual(expect.objectContaining({ id: 'SO-000001-F', producedQty: 10, receivedQty: 10, status: 'completed' }));
    expect(rec.issued).toContainEqual({ workOrderId: 'SO-000001-S', itemCode: 'F-RAW', lot: 'RA1', qty: 20 });
    expect(rec.lots).toContainEqual({ itemCode: 'F-FG', lot: 'SO-000001-F1', status: 'available', onHand: 0 });

    const kpi = await erpKpiFacts(t.app.db, { from: '2000-01-01', to: '2100-01-01' });
    expect(kpi).toMatchObject({ ordersShipped: 2, shippedOnTime: 2, shippedLate: 0, openOrders: 2 });
    expect(kpi.costOfGoodsSold).toBeGreaterThan(150);
    expect(kpi.inventoryValue).toBeGreaterThan(0);
  });
});
