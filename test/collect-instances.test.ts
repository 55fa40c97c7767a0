import mqtt from 'mqtt';
import { connect } from 'nats';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { answers, privateNats } from './support/nats.ts';
import { reportedGood, serverDatabase, shopWithRunningOperation, signIn, startServer, type ServerProcess } from './support/server.ts';

/**
 * Faults across instances: two Closeloop servers (child processes) on one PostgreSQL database,
 * the bus over NATS JetStream (a stream of this run's own, deleted at the end) and Mosquitto as
 * the outside broker with a shared subscription (a group of this run's own). Operators report over
 * HTTP through both instances and a machine publishes counts to Mosquitto while one instance is
 * killed with SIGKILL and started again, and while nats-server is killed and started again (a
 * private one on a free port when /usr/sbin/nats-server exists; the shared one is never touched).
 * Every acknowledged report is in the MES and the ERP exactly once, reconciliation finds nothing,
 * and the survivor takes over what the dead instance had in flight: the time from the kill until
 * every message committed before it has reached its consumers is printed ("takeover").
 */
const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const tag = `${process.pid}${Date.now().toString(36)}`.toLowerCase();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const [natsUp, mosquittoUp] = await Promise.all([answers(4222), answers(1883)]);
if (!natsUp || !mosquittoUp)
  console.warn(`collect-instances: skipped — ${!natsUp ? 'NATS (127.0.0.1:4222)' : ''}${!natsUp && !mosquittoUp ? ' and ' : ''}${!mosquittoUp ? 'Mosquitto (127.0.0.1:1883)' : ''} not answering`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!natsUp || !mosquittoUp)('two instances over NATS JetStream and Mosquitto, one killed', () => {
  it('loses nothing, counts nothing twice, and the survivor takes over within seconds', async () => {
    const db = await serverDatabase(PG, 'instances');
    cleanups.push(db.drop);
    const nats = await privateNats();
    if (nats) cleanups.push(nats.remove);
    const natsUrl = nats?.url ?? 'nats://127.0.0.1:4222';
    const stream = `CLT_${tag}`.toUpperCase();
    cleanups.push(async () => {
      const nc = await connect({ servers: natsUrl, timeout: 2_000 });
      await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
      await nc.close();
    });
    const env = (name: string) => ({
      DATABASE_URL: db.url,
      NATS_URL: natsUrl,
      NATS_STREAM: stream,
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      MQTT_SHARED_GROUP: `cl-${tag}`,
      MQTT_CLIENT_ID: `cl-${name}-${tag}`,
      CLOSELOOP_DB_POOL: '4',
    });
    cleanups.push(async () => {
      // the instances' persistent sessions at Mosquitto go with the run
      for (const name of ['a', 'b']) await (await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `cl-${name}-${tag}`, clean: true, reconnectPeriod: 0 })).endAsync();
    });
    const servers: Record<'a' | 'b', ServerProcess> = { a: await startServer(env('a')), b: null! };
    cleanups.push(async () => void servers.a.proc.kill('SIGKILL'));
    const b$ = startServer(env('b'));
    const callA = await signIn(servers.a.base);
    const wc = `W${tag}`.slice(0, 30);
    const shop = await shopWithRunningOperation(callA, wc, 100_000);
    servers.b = await b$;
    cleanups.push(async () => void servers.b.proc.kill('SIGKILL'));
    const calls = { a: callA, b: await signIn(servers.b.base) };

    // operators: one report at a time, through a and b in turn; a report whose answer was lost is
    // sent again (same Idempotency-Key) through the other instance, until it is acknowledged
    let httpAcked = 0;
    let running = true;
    const operators = (async () => {
      for (let i = 0; running; i++) {
        const key = `op-${tag}-${i}`;
        for (let attempt = 0; ; attempt++) {
          const via = (i + attempt) % 2 ? servers.b : servers.a;
          const r = await fetch(`${via.base}/api/v1/mes/operations/${shop.operation}/report`, {
            method: 'POST',
            headers: { authorization: (await tokenOf(via.base)) ?? '', 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify({ goodQty: 1 }),
            signal: AbortSignal.timeout(10_000),
          }).catch(() => null);
          if (r?.status === 200) break;
          if (r && r.status !== 503 && r.status < 500) throw new Error(`report refused: ${r.status} ${await r.text()}`);
          await sleep(200);
        }
        httpAcked++;
        await sleep(50);
      }
    })();
    // a machine: counts with ids to Mosquitto, acknowledged by Mosquitto
    const machine = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `machine-${tag}`, reconnectPeriod: 500 });
    cleanups.push(() => machine.endAsync(true));
    let mqttAcked = 0;
    const counts = (async () => {
      for (let i = 0; running; i++) {
        await machine.publishAsync(`closeloop/v1/main/${wc}/count`, JSON.stringify({ id: `n-${i}`, good: 1 }), { qos: 1 });
        mqttAcked++;
        await sleep(40);
      }
    })();

    await sleep(3_000);
    const killedAt = new Date();
    servers.a.proc.kill('SIGKILL');
    await servers.a.exited;
    // the survivor takes over: every message committed before the kill reaches its consumers
    const q = new pg.Client({ connectionString: db.url });
    await q.connect();
    cleanups.push(() => q.end());
    let open = -1;
    for (let i = 0; i < 600 && open !== 0; i++) {
      if (i) await sleep(100);
      const { rows } = await q.query<{ n: number }>(`select count(*)::int as n from platform.outbox where status in ('pending','failed') and occurred_at <= $1`, [killedAt]);
      open = rows[0].n;
    }
    const takeoverMs = Date.now() - killedAt.getTime();
    console.log(`collect-instances: takeover after SIGKILL: ${(takeoverMs / 1000).toFixed(1)} s (every message committed before the kill delivered)`);
    expect(open, 'messages committed before the kill still undelivered after 60 s').toBe(0);

    servers.a = await startServer(env('a'));
    calls.a = await signIn(servers.a.base);
    if (nats) {
      // nats-server killed and started again on the same store while both instances work
      await sleep(1_000);
      await nats.kill();
      await sleep(2_000);
      await nats.start();
    }
    await sleep(3_000);
    running = false;
    await Promise.all([operators, counts]);
    const total = httpAcked + mqttAcked;
    expect(httpAcked).toBeGreaterThan(10);
    expect(mqttAcked).toBeGreaterThan(10);

    // everything acknowledged arrives, once: in the MES and in the ERP, and they agree
    let mes = -1;
    let erp = -1;
    for (let i = 0; i < 600 && (mes !== total || erp !== total); i++) {
      if (i) await sleep(100);
      mes = await reportedGood(calls.b, shop.salesOrder);
      erp = Number((await calls.b('GET', `/api/v1/erp/sales-orders/${shop.salesOrder}`)).body.lines[0].producedQty);
    }
    expect({ mes, erp }).toEqual({ mes: total, erp: total });
    const rec = await calls.b('POST', '/api/v1/integration/reconcile');
    expect(rec.status).toBe(200);
    expect(rec.body.discrepancies).toEqual([]);
    for (const s of [servers.a, servers.b]) s.proc.kill('SIGTERM');
    await Promise.all([servers.a.exited, servers.b.exited]);
  }, 300_000);
});

const tokens = new Map<string, string>();
/** A bearer token per server (signed with the key both share, so either's token works on both). */
async function tokenOf(base: string): Promise<string | null> {
  if (tokens.size) return [...tokens.values()][0];
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'admin-pass-1' }),
  }).catch(() => null);
  if (!r?.ok) return null;
  const t = `Bearer ${((await r.json()) as { token: string }).token}`;
  tokens.set(base, t);
  return t;
}
