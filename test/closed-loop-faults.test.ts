import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/platform/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, orderWheels, runOperation, wheelShop, workOrdersOf } from './support/factory.ts';

/** Faults of the loop: a stopped relay, redelivery, and a message that cannot be handled. */
let t: TestApp;
let admin: TestApp['call'];

beforeAll(async () => {
  t = await startTestApp({ relay: { backoffMs: 5, maxAttempts: 3 } });
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  await t.settle();
});
afterAll(() => t?.close());

describe(`faults of the loop (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('loses nothing and doubles nothing when the relay stops mid-flow and messages are delivered again', async () => {
    const so = await orderWheels(admin, 6);
    await t.settle();
    const { top, child } = await workOrdersOf(admin, so);

    await t.app.relay.stop();
    await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'RIM', lot: 'RIM-L1', qty: 6 }), 201);
    await runOperation(admin, child.operations[0].id, { goodQty: 6, laborMinutes: 30, complete: true });
    await runOperation(admin, top.operations[0].id, { goodQty: 6, complete: true });
    const stuck = await ok(admin('GET', `/api/v1/integration/messages?correlationId=${so}&status=pending`));
    expect(stuck.length).toBeGreaterThan(3);
    expect((await ok(admin('GET', '/api/v1/erp/inventory/RIM'))).onHand).toBe(40); // not yet issued in the ERP

    t.app.relay.start();
    await t.settle();
    expect((await ok(admin('GET', '/api/v1/erp/inventory/RIM'))).onHand).toBe(34);
    const before = await ok(admin('GET', `/api/v1/erp/sales-orders/${so}`));

    // every message of the order delivered a second time, as after a crash before marking
    await t.app.db.query(`update platform.outbox set status = 'pending', published_at = null where correlation_id = $1`, [so]);
    await t.settle();
    expect((await ok(admin('GET', '/api/v1/erp/inventory/RIM'))).onHand).toBe(34);
    expect((await ok(admin('GET', '/api/v1/erp/inventory/LACED'))).onHand).toBe(6);
    expect(await ok(admin('GET', `/api/v1/erp/sales-orders/${so}`))).toEqual(before);
    const rec = await ok(admin('POST', '/api/v1/integration/reconcile'));
    expect(rec.discrepancies).toEqual([]);
  });

  it('dead-letters a message that cannot be handled, alerts, and applies it once when replayed after the fix', async () => {
    await t.app.db.unitOfWork({ actor: systemActor, module: 'mes' }, async (uow) => {
      uow.emit(
        'ProcessMaterialActual',
        { salesOrderId: null, workOrderId: 'WO-EXTERNAL', itemCode: 'TYRE', lot: 'TYR-LATE', qty: 3, at: new Date().toISOString() },
        { correlationId: 'fault-1' },
      );
    });
    await t.settle();
    const letters = await ok(admin('GET', '/api/v1/integration/dead-letters?status=open'));
    const letter = letters.find((d: any) => d.type === 'ProcessMaterialActual');
    expect(letter.reason).toMatch(/TYR-LATE/);
    const alerts = await ok(admin('GET', '/api/v1/alerts?kind=integration_failure&open=true'));
    expect(alerts.length).toBeGreaterThan(0);

    // the fix: the lot is received in the ERP; then the replay issues it once
    await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'TYRE', qty: 10, lot: 'TYR-LATE', unitCost: 8 }), 201);
    await ok(admin('POST', `/api/v1/integration/dead-letters/${letter.id}/replay`));
    await t.settle();
    const tyres = await ok(admin('GET', '/api/v1/erp/inventory/TYRE'));
    expect(tyres.lots.find((l: any) => l.lot === 'TYR-LATE').qty).toBe(7);
    await t.app.db.query(`update platform.outbox set status = 'pending', published_at = null where correlation_id = 'fault-1'`);
    await t.settle();
    expect((await ok(admin('GET', '/api/v1/erp/inventory/TYRE'))).lots.find((l: any) => l.lot === 'TYR-LATE').qty).toBe(7);
  });

  it('a stale "available" from the ERP does not lift a quality hold decided on the shop floor', async () => {
    const so = await orderWheels(admin, 2);
    await t.settle();
    const { child } = await workOrdersOf(admin, so);
    await runOperation(admin, child.operations[0].id, { goodQty: 2, complete: true });
    await t.settle();
    const lot = (await workOrdersOf(admin, so)).child.outputLots[0].lot;
    await ok(admin('POST', '/api/v1/mes/inspections', { workOrder: child.id, lot, result: 'fail' }), 201);
    // the ERP, not yet told of the hold, says the lot is available
    await t.app.db.unitOfWork({ actor: systemActor, module: 'erp' }, async (uow) => {
      uow.emit('SyncMaterialLot', { lot, itemCode: 'LACED', status: 'available', qty: 2 }, { correlationId: so });
    });
    await t.settle();
    expect((await ok(admin('GET', `/api/v1/mes/lots/${encodeURIComponent(lot)}`))).status).toBe('hold');
    expect((await ok(admin('GET', '/api/v1/erp/inventory/LACED'))).lots.find((l: any) => l.lot === lot).status).toBe('hold');
  });
});
