import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRuntime, type ShopFloorPort } from '../src/collect/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * With MQTT_URL set, Closeloop is a client of an outside broker (the Mosquitto on 127.0.0.1:1883)
 * with a persistent session. Each run uses its own plant segment and client id, so parallel runs
 * do not see each other's work; the session is removed at the end.
 */
const BROKER = 'mqtt://127.0.0.1:1883';
const run = `${process.pid}x${Date.now().toString(36)}`;
const plant = `it-${run}`;
const clientId = `closeloop-test-${run}`;
const pub = promisify(execFile);
const mosquittoPub = (topic: string, message: string) => pub('mosquitto_pub', ['-h', '127.0.0.1', '-p', '1883', '-q', '1', '-t', topic, '-m', message]);

const counts: { workCenter: string; good: number }[] = [];
const port: ShopFloorPort = {
  resolveWorkCenter: async (_q, code) => (code === 'EXT-1' ? { code, plant } : null),
  reportCount: async (_uow, c) => void counts.push({ workCenter: c.workCenter, good: c.good }),
  recordState: async () => undefined,
};

async function until(check: () => Promise<boolean> | boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

let t: TestApp;
const mine = (app: TestApp) =>
  app.app.db.query<{ reason: string; payload: any }>(`select reason, payload from platform.dead_letters where payload->>'plant' = $1 order by id`, [plant]);

beforeAll(async () => {
  t = await startTestApp({ config: { mqttUrl: BROKER, mqttClientId: clientId } });
  collectRuntime(t.app.deps).usePort(port);
});
afterAll(async () => {
  await t?.close();
  // drop the persistent session this run made on the shared broker
  const c = await mqtt.connectAsync(BROKER, { clientId, clean: true, reconnectPeriod: 0 });
  await c.endAsync();
});

describe(`an outside MQTT broker (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('subscribes to the shop-floor topics and ingests what devices publish there', async () => {
    const rt = collectRuntime(t.app.deps);
    expect(rt.brokerMode).toBe('external');
    await mosquittoPub(`closeloop/v1/${plant}/EXT-1/count`, JSON.stringify({ good: 6 }));
    await mosquittoPub(`closeloop/v1/${plant}/EXT-1/telemetry`, JSON.stringify({ powerKw: 7.5, at: '2025-05-05T05:05:05Z' }));
    await mosquittoPub(`closeloop/v1/${plant}/EXT-1/telemetry`, 'not json at all');
    await mosquittoPub(`closeloop/v1/${plant}/EXT-404/state`, JSON.stringify({ state: 'idle' }));
    await until(async () => (await mine(t)).length === 2 && counts.length === 1);
    await rt.pipeline.drain();
    expect(counts).toEqual([{ workCenter: 'EXT-1', good: 6 }]);
    const rows = await t.app.db.query(`select "values" from collect.telemetry where plant = $1`, [plant]);
    expect(rows.map((r) => r.values)).toEqual([{ powerKw: 7.5 }]);
    expect((await mine(t)).map((d) => d.reason)).toEqual(['payload is not JSON', 'unknown work centre EXT-404']);
  });

  it('keeps its session: what is published while it is down arrives when it is back', async () => {
    await t.close();
    await mosquittoPub(`closeloop/v1/${plant}/EXT-404/telemetry`, JSON.stringify({ whileDown: 1 }));
    t = await startTestApp({ config: { mqttUrl: BROKER, mqttClientId: clientId } });
    collectRuntime(t.app.deps).usePort(port);
    await until(async () => (await mine(t)).length === 1);
    const [dead] = await mine(t);
    expect(dead.payload.payload).toMatchObject({ whileDown: 1 });
  });

  it('shares the machine messages between instances with a shared subscription: each reaches one of them', async () => {
    const group = `g-${run}`;
    const seen: string[][] = [[], []];
    const apps = await Promise.all(
      [0, 1].map((i) => startTestApp({ config: { mqttUrl: BROKER, mqttClientId: `${clientId}-shared-${i}`, mqttSharedGroup: group } })),
    );
    try {
      apps.forEach((a, i) =>
        collectRuntime(a.app.deps).usePort({ ...port, reportCount: async (_uow, c) => void seen[i].push(`${c.workCenter}:${c.good}`) }),
      );
      for (let k = 1; k <= 20; k++) await mosquittoPub(`closeloop/v1/${plant}/EXT-1/count`, JSON.stringify({ good: k }));
      await until(() => seen[0].length + seen[1].length >= 20);
      await new Promise((r) => setTimeout(r, 200)); // nothing more arrives: no message went to both
      const all = [...seen[0], ...seen[1]].sort();
      expect(all).toHaveLength(20);
      expect(new Set(all).size).toBe(20);
      expect(seen[0].length > 0 && seen[1].length > 0).toBe(true);
    } finally {
      for (const a of apps) await a.close();
      for (const i of [0, 1]) await (await mqtt.connectAsync(BROKER, { clientId: `${clientId}-shared-${i}`, clean: true, reconnectPeriod: 0 })).endAsync();
    }
  }, 120_000); // two apps start: slow on a loaded machine
});
