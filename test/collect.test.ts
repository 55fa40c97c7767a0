import mqtt from 'mqtt';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRuntime, type CollectRuntime, type ShopFloorPort } from '../src/collect/index.ts';
import { conflict } from '../src/platform/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * Shop-floor ingest against a stand-in MES (the port): MQTT to the embedded broker on a free
 * port, junk of every kind, the batch route, device authentication and back-pressure.
 * test/collect-loop.test.ts runs the same path through the real MES and ERP.
 */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A stand-in MES: two work centres; WC-LACE has a running operation, WC-TRUE has none. */
function fakeShopFloor() {
  const counts: { workCenter: string; good: number; scrap: number; operation?: string }[] = [];
  const states: { workCenter: string; state: string; reason?: string; at: Date }[] = [];
  const centres: Record<string, string> = { 'WC-LACE': 'main', 'WC-TRUE': 'main', 'WC-B': 'east' };
  let delayMs = 0;
  const port: ShopFloorPort = {
    async resolveWorkCenter(_q, code) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      return centres[code] ? { code, plant: centres[code] } : null;
    },
    async reportCount(uow, c) {
      if (c.workCenter !== 'WC-LACE') throw conflict(`work centre ${c.workCenter} has no running operation`);
      await uow.query('select 1');
      uow.emitRaw('mes.operation.reported', { workCenter: c.workCenter, good: c.good });
      counts.push({ workCenter: c.workCenter, good: c.good, scrap: c.scrap, operation: c.operation });
    },
    async recordState(_uow, s) {
      states.push(s);
    },
  };
  return { port, counts, states, slow: (ms: number) => (delayMs = ms) };
}

let t: TestApp;
let rt: CollectRuntime;
let shop: ReturnType<typeof fakeShopFloor>;
let client: mqtt.MqttClient;
const db = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';

beforeAll(async () => {
  t = await startTestApp({ config: { mqttPort: await freePort(), mqttAuth: false } });
  rt = collectRuntime(t.app.deps);
  shop = fakeShopFloor();
  rt.usePort(shop.port);
  client = await mqtt.connectAsync(`mqtt://127.0.0.1:${rt.mqttPort}`, { clientId: `test-${process.pid}`, reconnectPeriod: 0 });
});
afterAll(async () => {
  await client?.endAsync();
  await t?.close();
});

const publish = (topic: string, payload: unknown, qos: 0 | 1 = 1) =>
  client.publishAsync(topic, typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload), { qos });

async function deadLetters(match: string) {
  return t.app.db.query<{ source: string; type: string; reason: string; payload: any }>(
    `select source, type, reason, payload from platform.dead_letters where consumer = 'collect' and payload::text like $1 order by id`,
    [`%${match}%`],
  );
}

describe(`shop-floor ingest (${db})`, () => {
  it('starts an embedded broker on the configured port and stops it with the app', async () => {
    expect(rt.mqttPort).toBeGreaterThan(0);
    expect(rt.brokerMode).toBe('embedded');
    const r = await t.as(t.adminToken)('GET', '/api/v1/collect/stats');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: expect.any(Number), accepted: expect.any(Number), rejected: expect.any(Number) });
  });

  it('stores telemetry published over MQTT as a time series, readable per work centre', async () => {
    const at = new Date(Date.now() - 60_000);
    for (let i = 0; i < 50; i++)
      await publish('closeloop/v1/main/WC-LACE/telemetry', { at: new Date(at.getTime() + i * 1000).toISOString(), spindleLoad: 40 + i, temperatureC: 35.5, powerKw: 2.25 }, i % 2 ? 1 : 0);
    await publish('closeloop/v1/main/WC-LACE/telemetry', { powerKw: 3 }); // no `at`: the time it arrived
    await rt.pipeline.drain();
    const r = await t.as(t.adminToken)('GET', `/api/v1/mes/work-centers/WC-LACE/telemetry?from=${new Date(at.getTime() - 1).toISOString()}`);
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(51);
    expect(r.body[0]).toEqual({ at: at.toISOString(), spindleLoad: 40, temperatureC: 35.5, powerKw: 2.25 });
    expect(r.body[50]).toMatchObject({ powerKw: 3 });
    const none = await t.as(t.adminToken)('GET', `/api/v1/mes/work-centers/WC-LACE/telemetry?to=${new Date(at.getTime() - 1).toISOString()}`);
    expect(none.body).toEqual([]);
    expect((await t.as(t.adminToken)('GET', '/api/v1/mes/work-centers/NOPE/telemetry')).status).toBe(404);
  });

  it('turns counts into reports and states into equipment events, in the order they came', async () => {
    await publish('closeloop/v1/main/WC-LACE/state', { state: 'running' });
    await publish('closeloop/v1/main/WC-LACE/count', { good: 5, scrap: 1, operation: 'op-1' });
    await publish('closeloop/v1/main/WC-LACE/state', { state: 'down', reason: 'spoke feeder jam', at: '2026-01-05T08:00:00Z' });
    await publish('closeloop/v1/main/WC-LACE/count', { good: 2 });
    await rt.pipeline.drain();
    expect(shop.counts).toEqual([
      { workCenter: 'WC-LACE', good: 5, scrap: 1, operation: 'op-1' },
      { workCenter: 'WC-LACE', good: 2, scrap: 0, operation: undefined },
    ]);
    expect(shop.states.map((s) => [s.state, s.reason])).toEqual([
      ['running', undefined],
      ['down', 'spoke feeder jam'],
    ]);
    expect(shop.states[1].at.toISOString()).toBe('2026-01-05T08:00:00.000Z');
    const [{ n }] = await t.app.db.query<{ n: number }>(`select count(*)::int as n from platform.outbox where type = 'mes.operation.reported'`);
    expect(n).toBe(2);
  });

  it('counts a count with an id once, however often it comes (a redelivery)', async () => {
    const before = shop.counts.length;
    for (let k = 0; k < 3; k++) await publish('closeloop/v1/main/WC-LACE/count', { id: 'press-7/1001', good: 3 });
    await publish('closeloop/v1/main/WC-LACE/count', { id: 'press-7/1002', good: 4 });
    await rt.pipeline.drain();
    const http = await t.as(t.adminToken)('POST', '/api/v1/collect/batch', [{ workCenter: 'WC-LACE', kind: 'count', payload: { id: 'press-7/1002', good: 4 } }]);
    expect(http.body.results).toEqual([{ index: 0, accepted: true }]);
    expect(shop.counts.slice(before).map((c) => c.good)).toEqual([3, 4]);
  });

  it('rejects, counts and dead-letters each kind of junk, and goes on with the good messages', async () => {
    const before = { ...rt.pipeline.stats };
    const tag = `junk-${Date.now()}`;
    await publish('closeloop/v1/main/WC-LACE/telemetry', `{not json ${tag}`);
    await publish('closeloop/v1/main/WC-LACE/count', { good: 'five', note: tag });
    await publish('closeloop/v1/main/WC-LACE/state', { state: 'exploded', reason: tag });
    await publish('closeloop/v1/main/WC-LACE/telemetry', { temperatureC: 'hot', tag });
    await publish('closeloop/v1/main/WC-NOWHERE/telemetry', { powerKw: 1, at: '2026-01-01T00:00:00Z', x: tag.length });
    await publish('closeloop/v1/main/WC-LACE/vibration', { rms: 1, tag });
    await publish('closeloop/v1/east/WC-LACE/telemetry', { powerKw: 1, tagLength: tag.length, wrongPlantMarker: 1 }); // wrong plant (found by its key: a number in the tag's timestamp may contain any digits)
    await publish('closeloop/v1/main/WC-TRUE/count', { good: 1, operation: tag }); // no running operation
    await publish('closeloop/v1/main/WC-LACE/telemetry', [1, 2, 3]);
    await publish('closeloop/v1/main/WC-LACE/telemetry', { powerKw: 1.5 }); // a good one among them
    await rt.pipeline.drain();
    const after = rt.pipeline.stats;
    expect(after.received - before.received).toBe(10);
    expect(after.rejected - before.rejected).toBe(9);
    expect(after.accepted - before.accepted).toBe(1);

    expect((await deadLetters(tag)).map((d) => [d.source, d.type, d.reason])).toEqual([
      ['mqtt', 'telemetry', 'payload is not JSON'],
      ['mqtt', 'count', expect.stringContaining('good')],
      ['mqtt', 'state', expect.stringContaining('state')],
      ['mqtt', 'telemetry', 'temperatureC: must be a finite number; tag: must be a finite number'],
      ['mqtt', 'vibration', expect.stringMatching(/^unknown kind "vibration"/)],
      ['mqtt', 'count', 'work centre WC-TRUE has no running operation'],
    ]);
    const [unknown] = await t.app.db.query<{ reason: string; payload: any }>(
      `select reason, payload from platform.dead_letters where payload->>'workCenter' = 'WC-NOWHERE'`,
    );
    expect(unknown.reason).toBe('unknown work centre WC-NOWHERE');
    expect(unknown.payload).toMatchObject({ topic: 'closeloop/v1/main/WC-NOWHERE/telemetry', payload: { powerKw: 1 } });
    const [wrongPlant] = await deadLetters('wrongPlantMarker');
    expect(wrongPlant.reason).toBe('work centre WC-LACE is in plant main, not east');
    const stats = await t.as(t.adminToken)('GET', '/api/v1/collect/stats');
    expect(stats.body).toMatchObject({ received: after.received, accepted: after.accepted, rejected: after.rejected });
  });

  it('does not stall on a burst: everything offered is written, in a few transactions', async () => {
    const before = rt.pipeline.batches;
    const n = 3000;
    const base = Date.parse('2025-06-01T00:00:00Z');
    await Promise.all(
      Array.from({ length: n }, (_, i) => publish('closeloop/v1/east/WC-B/telemetry', { at: new Date(base + i).toISOString(), i }, 1)),
    );
    await rt.pipeline.drain();
    const [{ c }] = await t.app.db.query<{ c: number }>(`select count(*)::int as c from collect.telemetry where work_center = 'WC-B'`);
    expect(c).toBe(n);
    expect(rt.pipeline.batches - before).toBeLessThan(n / 20);
  });

  it('holds producers back while the queue is full, and loses nothing', async () => {
    const { maxQueue } = rt.pipeline.opts;
    rt.pipeline.opts.maxQueue = 20;
    shop.slow(15);
    const cache = rt.cache;
    cache.clear();
    let deepest = 0;
    const watch = setInterval(() => {
      deepest = Math.max(deepest, (rt.pipeline as any).queue.length);
    }, 1);
    const slowClient = await mqtt.connectAsync(`mqtt://127.0.0.1:${rt.mqttPort}`, { clientId: `slow-${process.pid}`, reconnectPeriod: 0 });
    try {
      const n = 400;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          slowClient.publishAsync('closeloop/v1/main/WC-TRUE/telemetry', JSON.stringify({ at: new Date(Date.UTC(2024, 0, 1, 0, 0, 0, i)).toISOString(), i }), { qos: 1 }),
        ),
      );
      await rt.pipeline.drain();
      const [{ c }] = await t.app.db.query<{ c: number }>(`select count(*)::int as c from collect.telemetry where work_center = 'WC-TRUE'`);
      expect(c).toBe(n);
      expect(deepest).toBeLessThanOrEqual(20);
    } finally {
      clearInterval(watch);
      rt.pipeline.opts.maxQueue = maxQueue;
      shop.slow(0);
      await slowClient.endAsync();
    }
  });
});

describe(`batch route (${db})`, () => {
  it('takes the same messages over HTTP and answers per item', async () => {
    const key = await t.as(t.adminToken)('POST', '/api/v1/api-keys', { name: 'line-2 gateway', roles: ['integration'] });
    expect(key.status).toBe(201);
    const device = (m: string, u: string, b?: unknown, h: Record<string, string> = {}) => t.call(m, u, b, { 'x-api-key': key.body.key, ...h });
    const before = { ...rt.pipeline.stats };
    const r = await device('POST', '/api/v1/collect/batch', [
      { workCenter: 'WC-LACE', kind: 'count', payload: { good: 3 } },
      { workCenter: 'WC-LACE', kind: 'telemetry', payload: { powerKw: 4.5, at: '2025-02-02T10:00:00Z' } },
      { workCenter: 'WC-NOWHERE', kind: 'telemetry', payload: { powerKw: 1 } },
      { workCenter: 'WC-LACE', kind: 'smell', payload: { ppm: 3 } },
      { workCenter: 'WC-LACE', kind: 'count', payload: 'twelve' },
      { workCenter: 'WC-TRUE', kind: 'count', payload: { good: 1 } },
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: 6, accepted: 2, rejected: 4 });
    expect(r.body.results.map((x: any) => x.accepted)).toEqual([true, true, false, false, false, false]);
    expect(r.body.results[2].reason).toBe('unknown work centre WC-NOWHERE');
    expect(r.body.results[4].reason).toBe('payload must be a JSON object');
    expect(shop.counts.at(-1)).toMatchObject({ workCenter: 'WC-LACE', good: 3 });
    expect(rt.pipeline.stats.accepted - before.accepted).toBe(2);
    expect(rt.pipeline.stats.rejected - before.rejected).toBe(4);
    const http = await t.app.db.query(`select reason from platform.dead_letters where source = 'http' order by id`);
    expect(http).toHaveLength(4);

    // a resend after a lost answer has no second effect
    const once = [{ workCenter: 'WC-LACE', kind: 'count', payload: { good: 7 } }];
    const first = await device('POST', '/api/v1/collect/batch', once, { 'idempotency-key': 'batch-77' });
    const again = await device('POST', '/api/v1/collect/batch', once, { 'idempotency-key': 'batch-77' });
    expect(again.body).toEqual(first.body);
    expect(shop.counts.filter((c) => c.good === 7)).toHaveLength(1);
  });

  it('needs collect.ingest, and keeps a scoped device to its work centres', async () => {
    expect((await t.call('POST', '/api/v1/collect/batch', [])).status).toBe(401);
    const operator = await t.userWith(['operator']);
    expect((await t.as(operator)('POST', '/api/v1/collect/batch', [{ workCenter: 'WC-LACE', kind: 'count', payload: { good: 1 } }])).status).toBe(403);
    expect((await t.as(operator)('GET', '/api/v1/mes/work-centers/WC-LACE/telemetry')).status).toBe(200);
    expect((await t.as(t.adminToken)('POST', '/api/v1/collect/batch', [{ workCenter: 'WC-LACE', kind: 'count', payload: { good: 1 }, extra: 1 }])).status).toBe(400);
    const key = await t.as(t.adminToken)('POST', '/api/v1/api-keys', { name: 'east gateway', roles: ['integration'], scope: { plants: ['east'] } });
    const r = await t.call('POST', '/api/v1/collect/batch', [
      { workCenter: 'WC-B', kind: 'telemetry', payload: { powerKw: 1 } },
      { workCenter: 'WC-LACE', kind: 'telemetry', payload: { powerKw: 1 } },
    ], { 'x-api-key': key.body.key });
    expect(r.body.results).toEqual([
      { index: 0, accepted: true },
      { index: 1, accepted: false, reason: 'plant main is outside the device\'s scope' },
    ]);
    const eastUser = await t.userWith(['supervisor'], { plants: ['east'] });
    expect((await t.as(eastUser)('GET', '/api/v1/mes/work-centers/WC-LACE/telemetry')).status).toBe(403);
  });
});

describe(`device authentication (${db})`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: { mqttPort: await freePort(), mqttAuth: true } });
    collectRuntime(app.app.deps).usePort(fakeShopFloor().port);
  });
  afterAll(() => app?.close());

  it('lets a device in with an API key as password, and no one without', async () => {
    const port = collectRuntime(app.app.deps).mqttPort;
    const key = await app.as(app.adminToken)('POST', '/api/v1/api-keys', { name: 'press 4', roles: ['integration'] });
    const ok = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'press-4', password: key.body.key, reconnectPeriod: 0 });
    await ok.publishAsync('closeloop/v1/main/WC-LACE/telemetry', JSON.stringify({ powerKw: 9 }), { qos: 1 });
    await ok.endAsync();
    await collectRuntime(app.app.deps).pipeline.drain();
    expect(collectRuntime(app.app.deps).pipeline.stats.accepted).toBe(1);
    await expect(mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'x', password: 'clk_wrong', reconnectPeriod: 0 })).rejects.toThrow();
    await expect(mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 })).rejects.toThrow();
  });
});
