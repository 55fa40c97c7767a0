/**
 * Outside systems: the outbound feed's webhook delivery to a local receiver (events/s, every
 * signature checked), and the lag from a production report to its webhook (p50/p99): at
 * saturation (`--inflight` reports out at once, as fast as they are answered) and, with `--rate R`,
 * also at a steady R reports/s (a factory's shop floor reports at a rate, not as fast as it can).
 * `npx tsx bench/integration.ts --db embedded|postgres [--events 20000 --refs 500 --orders 200 --reports 2000 --inflight 8 --rate 100]`
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { verifySignature } from '../docs/examples/verify-signature.mjs';
import { createApp } from '../src/app.ts';
import { feedPlanned } from '../src/integration/feed/handlers.ts';
import type { FeedEventInput } from '../src/integration/feed/model.ts';
import { appendFeed } from '../src/integration/feed/store.ts';
import { feedDispatcherOf } from '../src/integration/index.ts';
import { createExternalWorkOrders } from '../src/mes/index.ts';
import { loadConfig, systemActor } from '../src/platform/index.ts';
import { arg, benchDatabase, percentile } from './support.ts';

const SECRET = 'bench-webhook-secret-0123';

/** A receiver on 127.0.0.1 that checks every signature and tells each event's arrival. */
async function receiver(onEvent: (e: { system: string; cursor: number; type: string; payload: Record<string, unknown> }, at: number) => void) {
  let bad = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (!verifySignature(SECRET, body, req.headers['x-closeloop-signature'] as string | undefined)) {
        bad++;
        res.writeHead(401).end();
        return;
      }
      onEvent(JSON.parse(body), performance.now());
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bad: () => bad, close: () => new Promise((r) => server.close(r)) };
}

const until = async (cond: () => boolean, maxMs: number) => {
  const end = Date.now() + maxMs;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
};

export async function main() {
  const kind = arg('db', 'embedded');
  const events = Number(arg('events', '20000'));
  const refs = Number(arg('refs', '500'));
  const orders = Number(arg('orders', '200'));
  const reports = Number(arg('reports', '2000'));
  const inflight = Number(arg('inflight', '8'));
  const rate = Number(arg('rate', '0'));
  const { db, drop } = await benchDatabase(kind);
  const app = await createApp({
    config: { ...loadConfig({}), adminPassword: 'bench-pass-1', port: 0, mqttPort: 0, reconcileEveryMinutes: 0 },
    db,
    logger: pino({ level: 'silent' }),
  });
  const seen = new Set<string>();
  const waiting = new Map<string, number>();
  const lags: number[] = [];
  const hook = await receiver((e, at) => {
    seen.add(`${e.system}:${e.cursor}`);
    const key = `${e.payload.workOrderId}:${e.payload.goodQty}`;
    const t0 = e.type === 'work_order.progress' ? waiting.get(key) : undefined;
    if (t0 !== undefined) {
      lags.push(at - t0);
      waiting.delete(key);
    }
  });
  try {
    const login = await app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'bench-pass-1' } });
    const auth = { authorization: `Bearer ${login.json().token}` };
    const call = async (method: 'POST' | 'PUT' | 'GET', url: string, payload?: object) => {
      const r = await app.http.inject({ method, url, payload, headers: auth });
      if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
      return r.json();
    };
    await call('PUT', '/api/v1/integration/systems/BENCH', { name: 'Bench ERP', role: 'erp', webhook: { url: hook.url, secret: SECRET } });

    // 1. Delivery: a backlog of events over `refs` references, sent from a standing start.
    const dispatcher = feedDispatcherOf(db)!;
    await dispatcher.stop();
    const backlog: FeedEventInput[] = Array.from({ length: events }, (_, i) => ({
      system: 'BENCH', type: 'work_order.progress', occurredAt: new Date().toISOString(), externalRef: `REF-${i % refs}`,
      payload: { workOrderId: `WO-${i % refs}`, event: 'reported', qty: 10, uom: 'pcs', goodQty: Math.floor(i / refs), scrapQty: 0 },
    }));
    await db.unitOfWork({ actor: systemActor, module: 'integration' }, (uow) => appendFeed(uow, backlog));
    const d0 = performance.now();
    dispatcher.start();
    await until(() => seen.size >= events, 600_000);
    const deliverSecs = (performance.now() - d0) / 1000;
    await dispatcher.drain();

    // 2. Lag: production reports on outside work orders, each timed until its webhook arrives.
    await call('POST', '/api/v1/erp/items', { code: 'PART', name: 'Part', kind: 'finished', uom: 'pcs' });
    await call('POST', '/api/v1/mes/work-centers', { code: 'WC1', name: 'Cell', costPerHour: 30 });
    await call('PUT', '/api/v1/mes/routings/PART', { operations: [{ seq: 10, name: 'Make', workCenter: 'WC1', setupMinutes: 0, minutesPerUnit: 0.1 }] });
    await app.relay.drain(60_000);
    const made = await db.unitOfWork({ actor: systemActor, module: 'integration' }, async (uow) => {
      const m = await createExternalWorkOrders(
        uow,
        Array.from({ length: orders }, (_, i) => ({ externalRef: `PO-${i}`, externalSystem: 'BENCH', itemCode: 'PART', qty: 100_000, dueDate: '2027-06-01' })),
      );
      await feedPlanned(uow, 'BENCH', m);
      return m;
    });
    const wos = made.map((m) => m.workOrders[0].id);
    const ops = new Map<string, string>();
    for (const w of await call('GET', '/api/v1/mes/work-orders?status=released')) if (wos.includes(w.id)) ops.set(w.id, w.operations[0].id);
    for (const id of wos) await call('POST', `/api/v1/mes/operations/${ops.get(id)}/start`, {});
    await app.relay.drain(60_000);
    let expected = seen.size + orders * 2;
    const count = new Map<string, number>();
    /** One report on a work order, timed from the call until its webhook arrives. */
    const report = async (wo: string) => {
      const good = (count.get(wo) ?? 0) + 1;
      count.set(wo, good);
      waiting.set(`${wo}:${good}`, performance.now());
      await call('POST', `/api/v1/mes/operations/${ops.get(wo)}/report`, { goodQty: 1 });
    };
    const lagOf = (list: number[]) => ({ p50: +percentile(list, 50).toFixed(1), p99: +percentile(list, 99).toFixed(1), max: +Math.max(...list).toFixed(1) });
    // saturation: worker k reports on its own work orders, one report at a time, so each report's goodQty is known
    let next = 0;
    expected += reports;
    const r0 = performance.now();
    await Promise.all(
      Array.from({ length: inflight }, async (_, k) => {
        const mine = wos.filter((_w, i) => i % inflight === k);
        for (let j = 0; next < reports; j++) {
          next++;
          await report(mine[j % mine.length]);
        }
      }),
    );
    const reportSecs = (performance.now() - r0) / 1000;
    await until(() => seen.size >= expected, 120_000);
    const saturated = { reports, matched: lags.length, reportsPerSecond: Math.round(reports / reportSecs), ...lagOf(lags) };
    // steady: one report every 1/rate s, round the work orders (one work order's reports one after another)
    let steady: object | null = null;
    if (rate > 0) {
      lags.length = 0;
      expected += reports;
      const chains = new Map<string, Promise<void>>();
      const s0 = performance.now();
      for (let i = 0; i < reports; i++) {
        const due = s0 + (i * 1000) / rate;
        while (performance.now() < due) await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        const wo = wos[i % wos.length];
        chains.set(wo, (chains.get(wo) ?? Promise.resolve()).then(() => report(wo)));
      }
      await Promise.all(chains.values());
      await until(() => seen.size >= expected, 120_000);
      steady = { rate, reports, matched: lags.length, ...lagOf(lags) };
    }
    console.log(
      JSON.stringify({
        bench: 'integration',
        db: kind,
        delivery: { events, refs, seconds: +deliverSecs.toFixed(2), eventsPerSecond: Math.round(events / deliverSecs), badSignatures: hook.bad() },
        reportToWebhookMs: { saturated, steady },
      }),
    );
  } finally {
    await app.close();
    await hook.close();
    await drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
