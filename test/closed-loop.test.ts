import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, orderWheels, runOperation, wheelShop, workOrdersOf } from './support/factory.ts';

/**
 * The factory story of the closed loop, through the public HTTP API only: master data, stock,
 * an order over a 2-level BOM approved, consumption by lot, reports with scrap, completion of
 * both levels, a failed inspection and its release, shipment, genealogy both ways, cost with
 * variance, the trace, an empty reconciliation; then an order changed and one cancelled.
 */
let t: TestApp;
let admin: TestApp['call'];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  await t.settle();
});
afterAll(() => t?.close());

describe(`the closed loop (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let so = '';
  let fgLot = '';
  let lacedLot = '';

  it('an approved order becomes scheduled work orders per BOM level, and the order shows the plan', async () => {
    so = await orderWheels(admin, 10);
    await t.settle();
    const { all, top, child } = await workOrdersOf(admin, so);
    expect(all).toHaveLength(2);
    expect(top).toMatchObject({ itemCode: 'WHEEL', qty: 10, status: 'released', salesOrder: so, lineNo: 1 });
    expect(child).toMatchObject({ itemCode: 'LACED', qty: 10, parentWorkOrder: top.id });
    expect(top.operations.map((o: any) => o.seq)).toEqual([10, 20]);
    expect(new Date(child.plannedEnd).getTime()).toBeLessThanOrEqual(new Date(top.plannedStart).getTime());
    const order = await ok(admin('GET', `/api/v1/erp/sales-orders/${so}`));
    expect(order.lines[0].plannedStart).toBeTruthy();
    expect(order.lines[0].plannedEnd).toBe(top.plannedEnd);
    // the promise given at release: the first finite-capacity plan's end
    expect(order.lines[0].promiseDate).toBe(top.plannedEnd.slice(0, 10));
  });

  it('consumption by lot, reports with scrap and completion flow back to ERP stock and progress', async () => {
    const { top, child } = await workOrdersOf(admin, so);
    await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'RIM', lot: 'RIM-L1', qty: 11 }), 201);
    await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'SPOKE', lot: 'SPK-L1', qty: 352 }), 201);
    await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'HUB', lot: 'HUB-L1', qty: 11 }), 201);
    await runOperation(admin, child.operations[0].id, { goodQty: 10, scrapQty: 1, laborMinutes: 60, machineMinutes: 55, energyKwh: 3, complete: true });
    await t.settle();
    const rims = await ok(admin('GET', '/api/v1/erp/inventory/RIM'));
    expect(rims.onHand).toBe(29);
    const afterChild = (await workOrdersOf(admin, so)).child;
    expect(afterChild.status).toBe('completed');
    expect(afterChild.outputLots).toHaveLength(1);
    lacedLot = afterChild.outputLots[0].lot;
    const laced = await ok(admin('GET', '/api/v1/erp/inventory/LACED'));
    expect(laced.onHand).toBe(10);
    expect(laced.lots).toEqual([{ lot: lacedLot, qty: 10, status: 'available', warehouse: 'MAIN' }]);

    await ok(admin('POST', `/api/v1/mes/work-orders/${top.id}/consume`, { itemCode: 'LACED', lot: lacedLot, qty: 10 }), 201);
    await ok(admin('POST', `/api/v1/mes/work-orders/${top.id}/consume`, { itemCode: 'TYRE', lot: 'TYR-L1', qty: 10 }), 201);
    await runOperation(admin, top.operations[0].id, { goodQty: 6, laborMinutes: 20, machineMinutes: 15 });
    await t.settle();
    let order = await ok(admin('GET', `/api/v1/erp/sales-orders/${so}`));
    expect(order.status).toBe('in_production');
    await ok(admin('POST', `/api/v1/mes/operations/${top.operations[0].id}/report`, { goodQty: 4, laborMinutes: 12, machineMinutes: 10, complete: true }));
    await runOperation(admin, top.operations[1].id, { goodQty: 10, laborMinutes: 10, machineMinutes: 10, complete: true });
    await t.settle();
    order = await ok(admin('GET', `/api/v1/erp/sales-orders/${so}`));
    expect(order.lines[0]).toMatchObject({ producedQty: 10, progress: 1 });
    expect(order.status).toBe('completed');
    const done = (await workOrdersOf(admin, so)).top;
    expect(done.status).toBe('completed');
    fgLot = done.outputLots[0].lot;
    expect((await ok(admin('GET', '/api/v1/erp/inventory/WHEEL'))).available).toBe(10);
  });

  it('a failed inspection holds the lot in both systems; held lots never ship; release lets it ship', async () => {
    const { top } = await workOrdersOf(admin, so);
    await ok(admin('POST', '/api/v1/mes/inspections', { workOrder: top.id, lot: fgLot, result: 'fail', defects: [{ code: 'TRUE', qty: 2 }] }), 201);
    await t.settle();
    const held = await ok(admin('GET', '/api/v1/erp/inventory/WHEEL'));
    expect(held).toMatchObject({ available: 0, onHold: 10 });
    const refused = await admin('POST', `/api/v1/erp/sales-orders/${so}/ship`);
    expect(refused.status).toBe(409);
    await ok(admin('POST', `/api/v1/mes/lots/${encodeURIComponent(fgLot)}/disposition`, { decision: 'release' }));
    await t.settle();
    expect((await ok(admin('GET', '/api/v1/erp/inventory/WHEEL'))).available).toBe(10);
    await ok(admin('POST', `/api/v1/erp/sales-orders/${so}/ship`));
    const shipped = await ok(admin('GET', `/api/v1/erp/sales-orders/${so}`));
    expect(shipped.status).toBe('shipped');
    expect((await ok(admin('GET', '/api/v1/erp/inventory/WHEEL'))).onHand).toBe(0);
  });

  it('traces the finished lot back to the supplier lots and the rim lot forward to the customer order', async () => {
    const back = await ok(admin('GET', `/api/v1/trace/lots/${encodeURIComponent(fgLot)}?direction=backward`));
    const flat = (n: any): any[] => [n, ...(n.children ?? []).flatMap(flat)];
    const lots = flat(back).map((n) => n.lot);
    expect(lots).toEqual(expect.arrayContaining([fgLot, lacedLot, 'RIM-L1', 'SPK-L1', 'HUB-L1', 'TYR-L1']));
    const rimNode = flat(back).find((n) => n.lot === 'RIM-L1');
    expect(rimNode.supplier).toBe('S-RIMS');
    const fwd = await ok(admin('GET', '/api/v1/trace/lots/RIM-L1?direction=forward'));
    const fwdNodes = flat(fwd);
    expect(fwdNodes.map((n) => n.lot)).toEqual(expect.arrayContaining(['RIM-L1', lacedLot, fgLot]));
    expect(fwdNodes.find((n) => n.lot === fgLot).salesOrders).toContain(so);
  });

  it('costs the order with actual material at lot cost (the laced wheel not counted twice) and a variance', async () => {
    const cost = await ok(admin('GET', `/api/v1/erp/sales-orders/${so}/cost`));
    // 11 rims × 12 + 352 spokes × 0.1 + 11 hubs × 15 + 10 tyres × 8
    expect(cost.actual.material).toBeCloseTo(412.2, 2);
    // standard: 10 × (12 + 32 × 0.1 + 15 + 8)
    expect(cost.standard.material).toBeCloseTo(382, 2);
    // labour 102 min at 30/h; machine 55 min at 40/h + 35 min at 30/h
    expect(cost.actual.labor).toBeCloseTo(51, 2);
    expect(cost.actual.machine).toBeGreaterThanOrEqual(54.16);
    expect(cost.variance).toBeCloseTo(cost.actual.total - cost.standard.total, 2);
    expect(cost.standard.labor).toBeGreaterThan(0);
  });

  it('traces every message of the order as delivered, and reconciliation finds nothing', async () => {
    const trace = await ok(admin('GET', `/api/v1/integration/messages?correlationId=${encodeURIComponent(so)}`));
    const types = new Set(trace.map((m: any) => m.type));
    for (const ty of ['ProcessOperationsSchedule', 'AcknowledgeOperationsSchedule', 'ProcessOperationsPerformance', 'ProcessMaterialActual', 'ProcessProducedLot', 'SyncMaterialLot'])
      expect(types, ty).toContain(ty);
    expect(trace.filter((m: any) => m.status !== 'delivered')).toEqual([]);
    const rec = await ok(admin('POST', '/api/v1/integration/reconcile'));
    expect(rec.discrepancies).toEqual([]);
  });

  it('refuses a cut below what is produced, accepts an increase that reaches every level, and cancels a third order', async () => {
    const so2 = await orderWheels(admin, 5);
    await t.settle();
    const { top, child } = await workOrdersOf(admin, so2);
    await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'RIM', lot: 'RIM-L1', qty: 5 }), 201);
    await runOperation(admin, child.operations[0].id, { goodQty: 5, complete: true });
    await runOperation(admin, top.operations[0].id, { goodQty: 3 });
    await runOperation(admin, top.operations[1].id, { goodQty: 3 });
    await t.settle();

    const impact = await ok(admin('GET', `/api/v1/erp/sales-orders/${so2}/change-impact?lineNo=1&qty=2`));
    expect(impact.feasible).toBe(false);
    expect(impact.workOrders.length).toBe(2);
    expect(impact.materialIssued).toEqual(expect.arrayContaining([expect.objectContaining({ itemCode: 'RIM', lot: 'RIM-L1', qty: 5 })]));

    await ok(admin('PATCH', `/api/v1/erp/sales-orders/${so2}/lines/1`, { qty: 2 }), 202);
    await t.settle();
    let order = await ok(admin('GET', `/api/v1/erp/sales-orders/${so2}`));
    expect(order.lines[0]).toMatchObject({ qty: 5, changeStatus: 'rejected' });
    expect(order.lines[0].changeReason).toBeTruthy();

    await ok(admin('PATCH', `/api/v1/erp/sales-orders/${so2}/lines/1`, { qty: 8 }), 202);
    await t.settle();
    order = await ok(admin('GET', `/api/v1/erp/sales-orders/${so2}`));
    expect(order.lines[0]).toMatchObject({ qty: 8, changeStatus: 'accepted' });
    const grown = await workOrdersOf(admin, so2);
    expect(grown.top.qty).toBe(8);
    // the laced-wheel level was already completed with 5: a top-up work order makes the other 3
    const lacing = grown.all.filter((w: any) => w.itemCode === 'LACED');
    expect(lacing.map((w: any) => w.qty).sort()).toEqual([3, 5]);
    expect(lacing.every((w: any) => w.parentWorkOrder === grown.top.id)).toBe(true);
    expect((await ok(admin('POST', '/api/v1/integration/reconcile'))).discrepancies).toEqual([]);

    const so3 = await orderWheels(admin, 4);
    await t.settle();
    await ok(admin("POST", `/api/v1/erp/sales-orders/${so3}/cancel`), 202);
    await t.settle();
    expect((await ok(admin('GET', `/api/v1/erp/sales-orders/${so3}`))).status).toBe('cancelled');
    const cancelled = await workOrdersOf(admin, so3);
    // WHEEL and its LACED sub-assembly: two work orders, both cancelled
    expect(cancelled.all.map((w: any) => [w.itemCode, w.status]).sort()).toEqual([['LACED', 'cancelled'], ['WHEEL', 'cancelled']]);
  });
});
