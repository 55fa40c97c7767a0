import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { feedDispatcherOf } from '../src/integration/index.ts';
import { verifySignature } from '../docs/examples/verify-signature.mjs';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, orderWheels, wheelShop } from './support/factory.ts';
import { startReceiver, until, type Receiver } from './support/feed-receiver.ts';
import { codeMaps, kingdee, makeWheels, requestWheels, SECRET } from './support/feed-setup.ts';

let t: TestApp;
let admin: TestApp['call'];
let hook: Receiver;

beforeAll(async () => {
  hook = await startReceiver();
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  await kingdee(t, hook.url);
  await t.settle();
});
afterAll(async () => {
  await t?.close();
  await hook?.close();
});

const feed = async (after = 0, limit = 100) => ok(admin('GET', `/api/v1/integration/systems/KD/feed?after=${after}&limit=${limit}`));

describe(`the outbound feed (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('reports the work of an outside request in order, in its own codes and units, and its webhook gets it signed', async () => {
    const { top, child } = await requestWheels(admin, 'KD', 'KD-MO-1', 4);
    expect(top.externalSystem).toBe('KD');
    await makeWheels(admin, top, child, 4);
    const [lot] = (await ok(admin('GET', `/api/v1/mes/work-orders/${top.id}`))).outputLots;
    await ok(admin('POST', '/api/v1/mes/inspections', { workOrder: top.id, lot: lot.lot, result: 'fail', defects: [{ code: 'TRUE', qty: 1 }] }), 201);
    await ok(admin('POST', `/api/v1/mes/lots/${lot.lot}/disposition`, { decision: 'release' }));
    await t.settle();

    const { events, next } = await feed();
    const summary = events.map((e: { cursor: number; type: string; externalRef: string; payload: { workOrderId: string; itemCode?: string; qty?: number; uom?: string } }) => [
      e.cursor, e.type, e.externalRef, e.payload.workOrderId, e.payload.itemCode ?? null, e.payload.qty ?? null, e.payload.uom ?? null,
    ]);
    expect(summary).toEqual([
      [1, 'work_order.planned', 'KD-MO-1', top.id, 'KD-WHL-01', 2, 'PR'],
      [2, 'material.consumed', 'KD-MO-1', child.id, 'KD-RIM-01', 2, 'PR'],
      [3, 'work_order.progress', 'KD-MO-1', child.id, 'KD-LCD-01', 2, 'PR'],
      [4, 'work_order.completed', 'KD-MO-1', child.id, 'KD-LCD-01', 2, 'PR'],
      [5, 'work_order.progress', 'KD-MO-1', top.id, 'KD-WHL-01', 2, 'PR'],
      [6, 'work_order.progress', 'KD-MO-1', top.id, 'KD-WHL-01', 2, 'PR'],
      [7, 'work_order.progress', 'KD-MO-1', top.id, 'KD-WHL-01', 2, 'PR'],
      [8, 'work_order.completed', 'KD-MO-1', top.id, 'KD-WHL-01', 2, 'PR'],
      [9, 'lot.held', 'KD-MO-1', top.id, 'KD-WHL-01', 2, 'PR'],
      [10, 'lot.released', 'KD-MO-1', top.id, 'KD-WHL-01', 2, 'PR'],
    ]);
    expect(next).toBe(10);
    expect(events[0].payload.workOrders.map((w: { itemCode: string }) => w.itemCode)).toEqual(['KD-WHL-01', 'KD-LCD-01']);
    expect(events[7].payload).toMatchObject({ goodQty: 2, outputLots: [{ lot: lot.lot, qty: 2 }] });
    expect(events[8].payload.lot).toBe(lot.lot);
    // paging with the cursor
    const page = await feed(3, 2);
    expect(page.events.map((e: { cursor: number }) => e.cursor)).toEqual([4, 5]);
    expect(page.next).toBe(5);
    expect((await feed(10)).events).toEqual([]);

    // the webhook: every event once, in order, signed (checked with the lines docs/integration.md shows)
    await until(() => hook.accepted.length >= 10);
    expect(hook.accepted.map((a) => a.event.cursor)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const a of hook.accepted) expect(verifySignature(SECRET, a.body, a.signature)).toBe(true);
    expect(verifySignature('another-secret-of-16', hook.accepted[0].body, hook.accepted[0].signature)).toBe(false);
    expect(verifySignature(SECRET, hook.accepted[0].body.replace('KD-MO-1', 'KD-MO-2'), hook.accepted[0].signature)).toBe(false);
    expect(hook.accepted[0].event).toEqual({ system: 'KD', ...events[0] });
    // the receiver has the last events a moment before the dispatcher records them delivered
    const status = await expect
      .poll(async () => ok(admin('GET', '/api/v1/integration/systems/KD/feed/status')), { timeout: 5_000 })
      .toMatchObject({ delivered: 10 })
      .then(() => ok(admin('GET', '/api/v1/integration/systems/KD/feed/status')));
    expect(status).toMatchObject({ lastCursor: 10, delivered: 10, pending: 0, failing: 0, dead: 0, lagSeconds: 0 });
  });

  it('work without an outside system, or of another system, is not in the feed; an unknown system is 404', async () => {
    await orderWheels(admin, 1);
    await ok(admin('PUT', '/api/v1/integration/systems/ODOO', { name: 'Odoo', role: 'erp' }));
    await codeMaps(t, 'ODOO', 'item', [{ external: 'WHEEL', internal: 'WHEEL' }]);
    await codeMaps(t, 'ODOO', 'uom', [{ external: 'Units', internal: 'pcs', factor: 1 }]);
    await requestWheels(admin, 'ODOO', 'KD-MO-1', 1, { item: 'WHEEL', uom: 'Units', perUnit: 1 }); // the same reference from another system is another request
    await t.settle();
    expect((await feed(10)).events).toEqual([]);
    expect((await ok(admin('GET', '/api/v1/integration/systems/ODOO/feed'))).events.map((e: { type: string }) => e.type)).toEqual(['work_order.planned']);
    expect((await admin('GET', '/api/v1/integration/systems/NOPE/feed')).status).toBe(404);
    expect((await admin('GET', '/api/v1/integration/systems/KD/feed?after=-1')).status).toBe(400);
  });

  it('returns the same events after the app restarts on its database', async () => {
    const before = await feed();
    await t.app.close();
    const again = await createApp({ config: t.app.config, db: t.app.db, relay: { backoffMs: 5 } });
    const r = await again.http.inject({ method: 'GET', url: '/api/v1/integration/systems/KD/feed', headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toEqual(before);
    expect(feedDispatcherOf(again.db)).toBeDefined();
    // the test's own app is closed by t.close(); the new one is this test's to close
    await again.close();
  });
});
