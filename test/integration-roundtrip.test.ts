import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, runOperation, wheelShop } from './support/factory.ts';
import { exampleJson, kingdeeSystem, productionOrder } from './support/kingdee.ts';

/**
 * The whole seam with an outside ERP, as an integrator lives it: Kingdee's own JSON goes in through
 * the guide's mappings and code maps; what the shop floor does comes back on the feed in Kingdee's
 * codes and units, in order — changes accepted and refused, progress, cancellation.
 */
let t: TestApp;
let admin: TestApp['call'];
const KD = '/api/v1/integration/systems/KD';
type FeedEvent = { cursor: number; type: string; externalRef: string; payload: Record<string, unknown> };
const feedOf = async (ref: string): Promise<FeedEvent[]> =>
  (await ok(admin('GET', `${KD}/feed?limit=1000`))).events.filter((e: FeedEvent) => e.externalRef === ref);
const topOf = async (ref: string) => (await ok(admin('GET', `/api/v1/mes/work-orders?externalRef=${ref}`))).find((w: { top: boolean }) => w.top);

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  await t.settle();
  await kingdeeSystem(admin);
});
afterAll(() => t?.close());

describe(`an outside ERP's order, there and back (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('planned, changed, refused a cut below what is made, reported, then cancelled: each on the feed in Kingdee codes and boxes', async () => {
    await ok(admin('POST', `${KD}/inbound/production-order`, exampleJson('production-order.json')), 202);
    const ref = 'MO000123-1';
    expect((await topOf(ref)).qty).toBe(150);
    // 4 boxes instead of 3: the MES accepts (nothing is made yet)
    const change = await ok(admin('POST', `${KD}/inbound/order-change`, exampleJson('order-change.json')), 202);
    expect(change.accepted.map((a: { externalRef: string }) => a.externalRef)).toEqual([ref]);
    expect((await topOf(ref)).qty).toBe(200);
    // 100 wheels reported good on the final assembly
    const top = await topOf(ref);
    await runOperation(admin, top.operations[0].id, { goodQty: 100 });
    // 1 box is below the 100 pcs already made: refused with the reason, the work order unchanged
    const cut = await ok(admin('POST', `${KD}/inbound/order-change`, { ...exampleJson('order-change.json'), FQty: 1 }), 202);
    expect(cut.accepted).toEqual([]);
    expect(cut.rejected[0].externalRef).toBe(ref);
    expect(cut.rejected[0].reason).toMatch(/produced|below/);
    expect((await topOf(ref)).qty).toBe(200);
    await ok(admin('POST', `${KD}/inbound/order-cancel`, exampleJson('order-cancel.json')), 202);
    expect((await topOf(ref)).status).toBe('cancelled');
    await t.settle();

    const events = await feedOf(ref);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('work_order.planned');
    expect(types).toContain('order_change.accepted');
    expect(types).toContain('order_change.rejected');
    expect(types).toContain('work_order.progress');
    expect(types[types.length - 1]).toBe('work_order.cancelled');
    // in order: accepted before the report, the refusal after it, the cancellation last
    expect(types.indexOf('order_change.accepted')).toBeLessThan(types.indexOf('work_order.progress'));
    expect(types.indexOf('work_order.progress')).toBeLessThan(types.indexOf('order_change.rejected'));
    expect(events.map((e) => e.cursor)).toEqual([...events.map((e) => e.cursor)].sort((a, b) => a - b));
    // Kingdee's codes and units, never Closeloop's
    expect(events[0].payload).toMatchObject({ itemCode: '03.01.0001', qty: 150, uom: 'Pcs' }); // the system's own unit of factor 1
    expect(JSON.stringify(events)).not.toContain('"WHEEL"');
  });

  it('a request for a code without a map is refused whole, naming every unmapped code, and the feed says nothing of it', async () => {
    const r = await admin('POST', `${KD}/inbound/production-order`, productionOrder('MO-UNMAPPED', { FMaterialId: { FNumber: '09.99.0009' }, FUnitId: { FNumber: 'CRATE' } }));
    expect(r.status).toBe(422);
    expect(r.body.error.details.unmapped).toEqual(expect.arrayContaining([{ kind: 'item', external: '09.99.0009' }, { kind: 'uom', external: 'CRATE' }]));
    expect(await ok(admin('GET', '/api/v1/mes/work-orders?externalRef=MO-UNMAPPED-1'))).toEqual([]);
    expect(await feedOf('MO-UNMAPPED-1')).toEqual([]);
  });
});
