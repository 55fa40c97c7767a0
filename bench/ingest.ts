/**
 * Shop-floor ingest benchmark: QoS 1 telemetry published by a separate process (a fork of this
 * file) → messages/s from the first publish until the last message is persisted in
 * collect.telemetry. Measured in one run:
 *   1. the ceiling: the same load through a bare embedded broker (Aedes, no persistence, no ingest)
 *      and through the bare Mosquitto (nobody subscribed): publish → all PUBACKs;
 *   2. the embedded broker of the app → database;
 *   3. the outside Mosquitto → the app's persistent-session client → database.
 *
 *   npx tsx bench/ingest.ts --db embedded|postgres [--messages 100000] [--clients 4] [--publishers 2] [--mosquitto mqtt://127.0.0.1:1883]
 */
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { fork } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { App } from '../src/app.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};

// the app is loaded only in the parent: the publisher process stays small
const app$ = () => import('../src/app.ts');
const collect$ = () => import('../src/collect/index.ts');

interface PublishResult {
  started: number;
  acked: number;
  messages: number;
}

// ───────────── the publisher (child process) ─────────────

async function publisher(url: string, topic: string, messages: number, clients: number, window: number): Promise<PublishResult> {
  const conns = await Promise.all(Array.from({ length: clients }, (_, i) => mqtt.connectAsync(url, { clientId: `bench-pub-${process.pid}-${i}`, reconnectPeriod: 0 })));
  const per = Math.ceil(messages / clients);
  const base = Date.now();
  const started = Date.now();
  await Promise.all(
    conns.map(
      (c, ci) =>
        new Promise<void>((resolve, reject) => {
          const total = Math.min(per, messages - ci * per);
          let sent = 0;
          let acked = 0;
          const pump = () => {
            while (sent < total && sent - acked < window) {
              const i = ci * per + sent++;
              const payload = `{"at":"${new Date(base + i).toISOString()}","spindleLoad":${(40 + (i % 30)).toFixed(1)},"temperatureC":${(50 + (i % 13) / 10).toFixed(1)},"powerKw":${(4 + (i % 7) / 10).toFixed(2)}}`;
              c.publish(topic, payload, { qos: 1 }, (err) => {
                if (err) return reject(err);
                acked++;
                if (acked === total) resolve();
                else pump();
              });
            }
          };
          if (total <= 0) resolve();
          else pump();
        }),
    ),
  );
  const acked = Date.now();
  await Promise.all(conns.map((c) => c.endAsync()));
  return { started, acked, messages };
}

if (process.argv[2] === '--publisher') {
  const [url, topic, messages, clients, window] = process.argv.slice(3);
  publisher(url, topic, Number(messages), Number(clients), Number(window)).then(
    (r) => process.send!(r, () => process.exit(0)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

// ───────────── the bench (parent) ─────────────

/** `publishers` processes share the load, each with its part of the connections. */
async function publishFromChild(url: string, topic: string, messages: number, clients: number, window = 1000): Promise<PublishResult> {
  const publishers = Math.max(1, Math.min(clients, Number(arg('publishers', '2'))));
  const parts = Array.from({ length: publishers }, (_, p) => ({
    messages: Math.floor(messages / publishers) + (p < messages % publishers ? 1 : 0),
    clients: Math.floor(clients / publishers) + (p < clients % publishers ? 1 : 0),
  }));
  const results = await Promise.all(
    parts.map(
      (part) =>
        new Promise<PublishResult>((resolve, reject) => {
          const child = fork(fileURLToPath(import.meta.url), ['--publisher', url, topic, String(part.messages), String(part.clients), String(window)], {
            execArgv: ['--import', 'tsx'],
          });
          child.once('message', (m) => resolve(m as PublishResult));
          child.once('exit', (code) => code && reject(new Error(`publisher exited with ${code}`)));
        }),
    ),
  );
  return { started: Math.min(...results.map((r) => r.started)), acked: Math.max(...results.map((r) => r.acked)), messages };
}

async function freePort() {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const rate = (n: number, ms: number) => Math.round((n * 1000) / Math.max(1, ms));

async function bareAedes(messages: number, clients: number) {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const r = await publishFromChild(`mqtt://127.0.0.1:${port}`, 'closeloop/v1/bench/BARE/telemetry', messages, clients);
  await new Promise<void>((res) => broker.close(() => res()));
  await new Promise<void>((res) => server.close(() => res()));
  return r;
}

async function persisted(app: App, messages: number, plant: string, result: Promise<PublishResult>) {
  const rt = (await collect$()).collectRuntime(app.deps);
  const start = { ...rt.pipeline.stats };
  const batches = rt.pipeline.batches;
  let done = 0;
  let deepest = 0;
  let end = Date.now();
  let published = false;
  result.then(() => (published = true)).catch(() => undefined);
  // until all are in, or nothing more came for 5 s after the publisher finished (the broker dropped some)
  while (!published || Date.now() - end < 5_000) {
    deepest = Math.max(deepest, rt.pipeline.depth);
    const now = rt.pipeline.stats.accepted - start.accepted + (rt.pipeline.stats.rejected - start.rejected);
    if (now !== done) end = Date.now();
    done = now;
    if (done >= messages) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const pub = await result;
  const [{ n }] = await app.db.query<{ n: number }>('select count(*)::int as n from collect.telemetry where plant = $1', [plant]);
  return { pub, end, stored: n, rejected: rt.pipeline.stats.rejected - start.rejected, batches: rt.pipeline.batches - batches, deepest };
}

async function withApp<T>(kind: string, extra: { mqttUrl?: string }, fn: (app: App, plant: string) => Promise<T>): Promise<T> {
  const { benchDatabase } = await import('./support.ts');
  const { loadConfig } = await import('../src/platform/index.ts');
  const { createApp } = await app$();
  const { db, drop } = await benchDatabase(kind);
  // devices unauthenticated on loopback (MQTT_AUTH=off): the bench measures ingest, not sign-in
  const config = { ...loadConfig({}), port: 0, adminPassword: 'bench-pass-1', logLevel: 'silent', mqttAuth: false, mqttHost: '127.0.0.1', mqttPort: extra.mqttUrl ? 0 : await freePort(), mqttUrl: extra.mqttUrl,
    mqttClientId: extra.mqttUrl ? `closeloop-bench-${process.pid}` : undefined };
  const { default: pino } = await import('pino');
  const app = await createApp({ config, db, logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }, pino.destination(2)) });
  const plant = `bench${process.pid}`;
  try {
    const login = await app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'bench-pass-1' } });
    const token = login.json().token;
    const h = { authorization: `Bearer ${token}` };
    await app.http.inject({ method: 'POST', url: '/api/v1/mes/plants', headers: h, payload: { code: plant, name: 'Bench plant' } });
    const wc = await app.http.inject({ method: 'POST', url: '/api/v1/mes/work-centers', headers: h, payload: { code: 'BENCH-1', name: 'Bench machine', costPerHour: 1, plant } });
    if (wc.statusCode !== 201) throw new Error(`work centre: ${wc.statusCode} ${wc.body}`);
    return await fn(app, plant);
  } finally {
    await app.close();
    await drop();
    if (extra.mqttUrl) {
      const c = await mqtt.connectAsync(extra.mqttUrl, { clientId: `closeloop-bench-${process.pid}`, clean: true, reconnectPeriod: 0 });
      await c.endAsync();
    }
  }
}

async function main() {
  const kind = arg('db', 'embedded');
  const messages = Number(arg('messages', '100000'));
  const clients = Number(arg('clients', '4'));
  const mosquitto = arg('mosquitto', 'mqtt://127.0.0.1:1883');
  const rows: { path: string; messages: number; ms: number; perSecond: number; note: string }[] = [];
  const log = (s: string) => console.error(s);

  log(`ingest bench: ${messages} QoS 1 telemetry messages from ${clients} connections in ${arg('publishers', '2')} separate processes, database ${kind}`);
  log('· bare Aedes');
  const bare = await bareAedes(messages, clients);
  rows.push({ path: 'bare Aedes (ceiling)', messages, ms: bare.acked - bare.started, perSecond: rate(messages, bare.acked - bare.started), note: 'publish → PUBACK, nothing stored' });
  log('· bare Mosquitto');
  const bareM = await publishFromChild(mosquitto, `closeloop-bench/${process.pid}/none`, messages, clients);
  rows.push({ path: 'bare Mosquitto (ceiling)', messages, ms: bareM.acked - bareM.started, perSecond: rate(messages, bareM.acked - bareM.started), note: 'publish → PUBACK, nobody subscribed' });

  log('· embedded broker → database');
  const embedded = await withApp(kind, {}, async (app, plant) => {
    const port = (await collect$()).collectRuntime(app.deps).mqttPort!;
    return persisted(app, messages, plant, publishFromChild(`mqtt://127.0.0.1:${port}`, `closeloop/v1/${plant}/BENCH-1/telemetry`, messages, clients));
  });
  rows.push({
    path: `embedded broker → ${kind}`,
    messages: embedded.stored,
    ms: embedded.end - embedded.pub.started,
    perSecond: rate(embedded.stored, embedded.end - embedded.pub.started),
    note: `${embedded.batches} transactions, queue ≤ ${embedded.deepest}, ${embedded.rejected} rejected${embedded.stored < messages ? `, ${messages - embedded.stored} missing` : ''}`,
  });

  log('· Mosquitto → database');
  const external = await withApp(kind, { mqttUrl: mosquitto }, async (app, plant) =>
    persisted(app, messages, plant, publishFromChild(mosquitto, `closeloop/v1/${plant}/BENCH-1/telemetry`, messages, clients)),
  );
  rows.push({
    path: `Mosquitto → ${kind}`,
    messages: external.stored,
    ms: external.end - external.pub.started,
    perSecond: rate(external.stored, external.end - external.pub.started),
    note: `${external.batches} transactions, queue ≤ ${external.deepest}, ${external.rejected} rejected${external.stored < messages ? `, ${messages - external.stored} lost by the broker` : ''}`,
  });

  console.log(`\npath                          messages    ms        msg/s   vs ceiling  note`);
  for (const r of rows) {
    const ceiling = r.path.startsWith('Mosquitto') ? rows[1].perSecond : rows[0].perSecond;
    const ratio = r.path.includes('ceiling') ? '' : `${Math.round((r.perSecond / ceiling) * 100)} %`;
    console.log(`${r.path.padEnd(30)}${String(r.messages).padStart(8)}${String(r.ms).padStart(8)}${String(r.perSecond).padStart(11)}${ratio.padStart(12)}  ${r.note}`);
  }
}

if (process.argv[2] !== '--publisher') {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
