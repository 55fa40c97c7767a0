import mqtt from 'mqtt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, reportedGood, serverDatabase, shopWithRunningOperation, signIn, startServer, type Call } from './support/server.ts';

/**
 * No acknowledged message lost: a device (mqtt.js) publishes QoS 1 counts, each with an `id`, to
 * the embedded broker of a server in a child process; the server is killed with SIGKILL in the
 * middle of the stream and started again on the same data; the device sends again what was not
 * acknowledged. Every acknowledged count is there after the restart, and in the end every count is
 * in the MES and the ERP exactly once (a count committed but not acknowledged before the kill, and
 * so sent twice, is not counted twice). On the embedded database (its data folder) and the server.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const N = 600;
const WINDOW = 50;

/**
 * Publishes counts `ids` with at most WINDOW unacknowledged; resolves when all are acknowledged or
 * the connection is gone. `acked` collects the acknowledged ids.
 */
function publishAll(c: mqtt.MqttClient, topic: string, ids: number[], acked: Set<number>, onAck?: () => void): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let open = 0;
    let gone = false;
    c.once('close', () => {
      gone = true;
      resolve();
    });
    const pump = () => {
      while (!gone && next < ids.length && open < WINDOW) {
        const i = ids[next++];
        open++;
        c.publish(topic, JSON.stringify({ id: `m-${i}`, good: 1 }), { qos: 1 }, (err) => {
          open--;
          if (!err && !gone) acked.add(i);
          onAck?.();
          if (!gone && next >= ids.length && open === 0) resolve();
          else pump();
        });
      }
    };
    pump();
  });
}

async function producedInErp(call: Call, salesOrder: string, want: number) {
  let produced = -1;
  for (let i = 0; i < 300 && produced !== want; i++) {
    const so = (await call('GET', `/api/v1/erp/sales-orders/${salesOrder}`)).body;
    produced = Number(so.lines[0].producedQty);
    if (produced !== want) await new Promise((r) => setTimeout(r, 100));
  }
  return produced;
}

describe(`no acknowledged MQTT message lost (${serverUrl ? 'postgres' : 'embedded'})`, () => {
  it('kill -9 mid-stream, restart, resend what was not acknowledged: each count stored once', async () => {
    const env: Record<string, string> = { MQTT_PORT: String(await freePort()) };
    if (serverUrl) {
      const d = await serverDatabase(serverUrl, 'mqttcrash');
      env.DATABASE_URL = d.url;
      cleanups.push(d.drop);
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'closeloop-mqttcrash-'));
      env.CLOSELOOP_DATA_DIR = dir;
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    }
    const first = await startServer(env);
    cleanups.push(async () => void first.proc.kill('SIGKILL'));
    const call = await signIn(first.base);
    const shop = await shopWithRunningOperation(call, 'LACE-1', 10_000);
    const url = `mqtt://127.0.0.1:${env.MQTT_PORT}`;
    const topic = 'closeloop/v1/main/LACE-1/count';

    // the device publishes; the server dies under it once a quarter of the counts are acknowledged
    const acked = new Set<number>();
    const device = await mqtt.connectAsync(url, { username: 'press', password: shop.key, reconnectPeriod: 0 });
    const all = Array.from({ length: N }, (_, i) => i);
    let killed = false;
    const stream = publishAll(device, topic, all, acked, () => {
      if (!killed && acked.size >= N / 4) {
        killed = true;
        first.proc.kill('SIGKILL');
      }
    });
    await stream;
    await first.exited;
    device.end(true);
    expect(killed).toBe(true);
    const ackedBeforeKill = new Set(acked);
    expect(ackedBeforeKill.size).toBeGreaterThanOrEqual(N / 4);
    expect(ackedBeforeKill.size).toBeLessThan(N);

    const second = await startServer(env);
    cleanups.push(async () => void second.proc.kill('SIGKILL'));
    const call2 = await signIn(second.base);
    // every acknowledged count survived the kill (some unacknowledged ones may have committed too)
    const stored = await reportedGood(call2, shop.salesOrder);
    expect(stored).toBeGreaterThanOrEqual(ackedBeforeKill.size);
    expect(stored).toBeLessThan(N);

    // the device sends again everything not acknowledged
    const again = await mqtt.connectAsync(url, { username: 'press', password: shop.key, reconnectPeriod: 0 });
    await publishAll(again, topic, all.filter((i) => !ackedBeforeKill.has(i)), acked);
    await again.endAsync();
    expect(acked.size).toBe(N);
    expect(await reportedGood(call2, shop.salesOrder)).toBe(N);
    expect(await producedInErp(call2, shop.salesOrder, N)).toBe(N);
    if (env.DATABASE_URL) {
      const c = new pg.Client({ connectionString: env.DATABASE_URL });
      await c.connect();
      const { rows } = await c.query<{ n: number; distinct_ids: number }>(`select count(*)::int as n, count(distinct id)::int as distinct_ids from collect.count_ids`);
      await c.end();
      expect(rows[0]).toEqual({ n: N, distinct_ids: N });
    }
    second.proc.kill('SIGTERM');
    await second.exited;
  }, 400_000);
});
