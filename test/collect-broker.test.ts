import mqtt from 'mqtt';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRuntime, type ShopFloorPort } from '../src/collect/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * The embedded broker locked down (CONTRACT "Shop-floor MQTT"): devices sign in with an API key,
 * publish only inside their key's scope, never subscribe, retain or use `$` topics, never send more
 * than 64 KiB; a revoked key's connection is closed; TLS on a second port. Every refusal is
 * counted in /metrics and the broker goes on serving. Through a real client (mqtt.js).
 */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const centres: Record<string, string> = { 'WC-A': 'main', 'WC-B': 'main', 'WC-E': 'east' };
const shop: ShopFloorPort = {
  resolveWorkCenter: async (_q, code) => (centres[code] ? { code, plant: centres[code] } : null),
  reportCount: async () => undefined,
  recordState: async () => undefined,
};

let t: TestApp;
let port: number;
let tlsPort: number;
let certDir: string;
const db = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'closeloop-mqtt-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore', timeout: 30_000 });
  t = await startTestApp({
    config: { mqttPort: await freePort(), mqttTlsPort: await freePort(), mqttTlsCert: join(certDir, 'cert.pem'), mqttTlsKey: join(certDir, 'key.pem'), mqttKeyRecheckMs: 200 },
  });
  const rt = collectRuntime(t.app.deps);
  rt.usePort(shop);
  port = rt.mqttPort!;
  tlsPort = rt.mqttTlsPort!;
});
afterAll(async () => {
  await t?.close();
  rmSync(certDir, { recursive: true, force: true });
});

async function key(roles: string[], scope?: { plants?: string[]; workCenters?: string[] }): Promise<{ id: string; key: string }> {
  const r = await t.as(t.adminToken)('POST', '/api/v1/api-keys', { name: `device-${Math.random()}`, roles, ...(scope && { scope }) });
  expect(r.status).toBe(201);
  return r.body;
}

const device = (password: string | undefined, extra: mqtt.IClientOptions = {}) =>
  mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'press', password, reconnectPeriod: 0, connectTimeout: 5_000, ...extra });

/** Publishes and waits for the broker to close the connection (MQTT 3.1.1 has no refusal on PUBACK). */
async function closedAfter(c: mqtt.MqttClient, topic: string, payload: string | Buffer, o: mqtt.IClientPublishOptions = {}) {
  const closed = new Promise<void>((r) => c.once('close', () => r()));
  c.publish(topic, payload, { qos: 1, ...o }, () => undefined);
  await closed;
  c.end(true);
}

async function telemetryOf(workCenter: string, marker: number) {
  await collectRuntime(t.app.deps).pipeline.drain();
  return t.app.db.query<{ n: number }>(`select count(*)::int as n from collect.telemetry where work_center = $1 and ("values"->>'marker')::int = $2`, [workCenter, marker]);
}

async function refusals(): Promise<Record<string, number>> {
  const text = await (await t.app.http.inject({ method: 'GET', url: '/metrics' })).body;
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^closeloop_mqtt_refused_total\{reason="(\w+)"\} (\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

describe(`embedded broker, locked down (${db})`, () => {
  it('lets a device in with a key that may ingest, and refuses anyone else at CONNACK', async () => {
    const good = await key(['integration']);
    const c = await device(good.key);
    await c.publishAsync('closeloop/v1/main/WC-A/telemetry', JSON.stringify({ powerKw: 1, marker: 1 }), { qos: 1 });
    expect(await telemetryOf('WC-A', 1)).toEqual([{ n: 1 }]);
    await c.endAsync();
    await expect(device('clk_not-a-key')).rejects.toThrow(/Bad username or password/);
    await expect(device(undefined)).rejects.toThrow(/Bad username or password/);
    const planner = await key(['planner']);
    await expect(device(planner.key)).rejects.toThrow(/Not authorized/);
    expect(await refusals()).toMatchObject({ credentials: 2, not_authorized: 1 });
  });

  it('keeps a key to the topics of its scope', async () => {
    const scoped = await key(['integration'], { workCenters: ['WC-A'] });
    const c = await device(scoped.key);
    await c.publishAsync('closeloop/v1/main/WC-A/telemetry', JSON.stringify({ powerKw: 2, marker: 2 }), { qos: 1 });
    await closedAfter(c, 'closeloop/v1/main/WC-B/telemetry', JSON.stringify({ powerKw: 2, marker: 2 }));
    const east = await device((await key(['integration'], { plants: ['east'] })).key);
    await closedAfter(east, 'closeloop/v1/main/WC-A/telemetry', JSON.stringify({ powerKw: 2, marker: 2 }));
    expect(await telemetryOf('WC-A', 2)).toEqual([{ n: 1 }]);
    expect(await telemetryOf('WC-B', 2)).toEqual([{ n: 0 }]);
    expect((await refusals()).scope).toBe(2);
  });

  it('refuses subscriptions, retained messages, $ topics, topics outside the model and oversized payloads', async () => {
    const k = (await key(['integration'])).key;
    const before = await refusals();
    const sub = await device(k);
    await expect(sub.subscribeAsync('#', { qos: 1 })).rejects.toThrow(/Subscribe error/); // SUBACK 0x80
    await sub.endAsync();
    await closedAfter(await device(k), 'closeloop/v1/main/WC-A/telemetry', JSON.stringify({ powerKw: 3, marker: 3 }), { retain: true });
    await closedAfter(await device(k), '$SYS/broker/clients', 'x');
    await closedAfter(await device(k), 'somewhere/else', 'x');
    await closedAfter(await device(k), 'closeloop/v1/main/WC-A/telemetry', Buffer.alloc(64 * 1024 + 1, 0x20));
    await closedAfter(await device(k), 'closeloop/v1/main/WC-A/telemetry', Buffer.alloc(1024 * 1024, 0x20)); // over the packet size: never buffered
    const after = await refusals();
    const delta = (r: string) => (after[r] ?? 0) - (before[r] ?? 0);
    expect([delta('subscribe'), delta('retained'), delta('system_topic'), delta('topic'), delta('too_large')]).toEqual([1, 1, 1, 1, 2]);
    expect(await telemetryOf('WC-A', 3)).toEqual([{ n: 0 }]);

    // 64 KiB exactly is taken; as junk, its dead letter keeps the first 4 KiB
    const c = await device(k);
    const big = JSON.stringify({ powerKw: 1, pad: 'x'.repeat(64 * 1024 - 30) }).padEnd(64 * 1024, ' ');
    expect(Buffer.byteLength(big)).toBe(64 * 1024);
    await c.publishAsync('closeloop/v1/main/WC-A/telemetry', big, { qos: 1 });
    await c.publishAsync('closeloop/v1/main/WC-A/telemetry', JSON.stringify({ powerKw: 4, marker: 4 }), { qos: 1 }); // and the broker goes on
    await c.endAsync();
    expect(await telemetryOf('WC-A', 4)).toEqual([{ n: 1 }]);
    const [dead] = await t.app.db.query<{ reason: string; payload: { payload: { truncated: boolean; bytes: number; head: string } } }>(
      `select reason, payload from platform.dead_letters where consumer = 'collect' and payload->'payload'->>'truncated' = 'true'`,
    );
    expect(dead.reason).toBe('pad: must be a finite number');
    expect(dead.payload.payload.truncated).toBe(true);
    expect(Buffer.byteLength(dead.payload.payload.head)).toBe(4096);
  });

  it('closes the connection of a device whose key is revoked', async () => {
    const k = await key(['integration']);
    const c = await device(k.key);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    await t.app.db.query('update platform.api_keys set revoked_at = now() where id = $1', [k.id]);
    await closed;
    c.end(true);
    await expect(device(k.key)).rejects.toThrow(/Bad username or password/);
    expect((await refusals()).revoked).toBe(1);
  });

  it('serves devices over TLS on its own port, with the same sign-in', async () => {
    const k = await key(['integration']);
    const ca = readFileSync(join(certDir, 'cert.pem'));
    const c = await mqtt.connectAsync(`mqtts://127.0.0.1:${tlsPort}`, { username: 'x', password: k.key, ca, servername: 'localhost', reconnectPeriod: 0, connectTimeout: 5_000 });
    await c.publishAsync('closeloop/v1/main/WC-A/telemetry', JSON.stringify({ powerKw: 5, marker: 5 }), { qos: 1 });
    await c.endAsync();
    expect(await telemetryOf('WC-A', 5)).toEqual([{ n: 1 }]);
    await expect(
      mqtt.connectAsync(`mqtts://127.0.0.1:${tlsPort}`, { username: 'x', password: 'clk_wrong', ca, servername: 'localhost', reconnectPeriod: 0, connectTimeout: 5_000 }),
    ).rejects.toThrow(/Bad username or password/);
  });

  it('answers MQTT 5 clients with a refusal, not a crash', async () => {
    const k = (await key(['integration'])).key;
    await expect(device(k, { protocolVersion: 5 })).rejects.toThrow();
    const c = await device(k);
    await c.publishAsync('closeloop/v1/main/WC-A/telemetry', JSON.stringify({ powerKw: 6, marker: 6 }), { qos: 1 });
    await c.endAsync();
    expect(await telemetryOf('WC-A', 6)).toEqual([{ n: 1 }]);
  });
});

describe('MQTT_AUTH=off', () => {
  it('refuses to start on a listener that is not loopback, in one line', async () => {
    await expect(startTestApp({ config: { mqttPort: await freePort(), mqttAuth: false, mqttHost: '0.0.0.0' } })).rejects.toThrow(
      'MQTT_AUTH=off is allowed on a loopback listener only, not 0.0.0.0: set MQTT_HOST=127.0.0.1 or turn device authentication on',
    );
  });
});
