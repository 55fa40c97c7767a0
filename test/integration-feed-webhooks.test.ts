import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedDispatcherOf } from '../src/integration/index.ts';
import { verifySignature } from '../docs/examples/verify-signature.mjs';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, wheelShop } from './support/factory.ts';
import { startReceiver, until, type Receiver } from './support/feed-receiver.ts';
import { kingdee, makeWheels, requestWheels, SECRET } from './support/feed-setup.ts';

let t: TestApp;
let admin: TestApp['call'];
let flaky: Receiver;
let down: Receiver;

beforeAll(async () => {
  [flaky, down] = await Promise.all([startReceiver(), startReceiver()]);
  t = await startTestApp();
  admin = t.as(t.adminToken);
  feedDispatcherOf(t.app.db)!.configure({ backoffMs: 20, maxAttempts: 4, pollMs: 50 });
  await wheelShop(admin);
  await kingdee(t, flaky.url, 'KD');
  await kingdee(t, down.url, 'KD2');
  await t.settle();
});
afterAll(async () => {
  await t?.close();
  await Promise.all([flaky?.close(), down?.close()]);
});

const status = (system: string) => ok(admin('GET', `/api/v1/integration/systems/${system}/feed/status`));

describe(`feed webhooks that fail (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('a receiver that fails for a while gets every event once, in order, when it recovers', async () => {
    flaky.failing = (n) => n < 3; // its first three answers are 500
    const { top, child } = await requestWheels(admin, 'KD', 'KD-MO-2', 2);
    await makeWheels(admin, top, child, 2);
    await t.settle();
    await until(() => flaky.accepted.length >= 8);
    expect(flaky.refused).toBe(3);
    expect(flaky.accepted.map((a) => [a.event.cursor, a.event.type])).toEqual([
      [1, 'work_order.planned'],
      [2, 'material.consumed'],
      [3, 'work_order.progress'],
      [4, 'work_order.completed'],
      [5, 'work_order.progress'],
      [6, 'work_order.progress'],
      [7, 'work_order.progress'],
      [8, 'work_order.completed'],
    ]);
    for (const a of flaky.accepted) expect(verifySignature(SECRET, a.body, a.signature)).toBe(true);
    await until(async () => (await status('KD')).delivered === 8);
    expect(await status('KD')).toMatchObject({ lastCursor: 8, delivered: 8, pending: 0, dead: 0 });
  });

  it('one that keeps failing gives a dead letter, in the trace; the events behind it wait; a replay delivers them in order', async () => {
    down.failing = true;
    const { child } = await requestWheels(admin, 'KD2', 'KD2-MO-1', 2);
    await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'RIM', lot: 'RIM-L1', qty: 2 }), 201);
    await t.settle();
    const deadOnes = async () => (await ok(admin('GET', '/api/v1/integration/dead-letters?source=webhook'))) as { id: number; type: string; reason: string; consumer: string }[];
    await until(async () => (await deadOnes()).length > 0);
    const [dl] = await deadOnes();
    expect(dl).toMatchObject({ type: 'work_order.planned', consumer: 'webhook:KD2', status: 'open' });
    expect(dl.reason).toContain('HTTP 500 after 4 attempts');
    expect(down.refused).toBe(4); // the consumption behind it was never sent before the planned event
    expect(await status('KD2')).toMatchObject({ lastCursor: 2, delivered: 0, pending: 1, dead: 1 });
    const trace = await ok(admin('GET', '/api/v1/integration/messages?correlationId=KD2-MO-1'));
    expect(trace).toEqual([expect.objectContaining({ type: 'feed.work_order.planned', from: 'integration', status: 'dead', correlationId: 'KD2-MO-1' })]);
    const alerts = await ok(admin('GET', '/api/v1/alerts'));
    expect(alerts.filter((a: { kind: string; ref: string }) => a.kind === 'integration_failure' && a.ref.startsWith('webhook:KD2/'))).toHaveLength(1);

    down.failing = false;
    await ok(admin('POST', `/api/v1/integration/dead-letters/${dl.id}/replay`));
    await until(() => down.accepted.length >= 2);
    expect(down.accepted.map((a) => [a.event.cursor, a.event.type])).toEqual([
      [1, 'work_order.planned'],
      [2, 'material.consumed'],
    ]);
    await until(async () => (await status('KD2')).delivered === 2);
    expect(await status('KD2')).toMatchObject({ delivered: 2, pending: 0, dead: 0 });
    const [after] = await ok(admin('GET', '/api/v1/integration/messages?correlationId=KD2-MO-1'));
    expect(after.status).toBe('delivered');
    expect((await ok(admin('GET', `/api/v1/integration/dead-letters/${dl.id}`))).status).toBe('replayed');
  });
});
