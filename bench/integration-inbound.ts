/**
 * Inbound from an outside ERP: N Kingdee-style production orders (the docs/examples/kingdee files)
 * through the JSONata mapping and the code maps (item, BOX50 → pcs ×50, plant) into work orders
 * over a 2-level BOM, C calls in flight over HTTP (Fastify inject), each call one bill or, with
 * --per-call B, a Kingdee BatchSave of B bills (`Model` as an array: one transaction per call).
 * Requests/s counts production requests (bills), not calls. Also the mapping alone (JSONata +
 * canonical check) per bill, in process.
 *
 *   npx tsx bench/integration-inbound.ts --db embedded|postgres --requests 10000 --concurrency 20 [--per-call 1]
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/index.ts';
import { runMapping } from '../src/integration/systems/jsonata-run.ts';
import { readCanonical } from '../src/integration/systems/mappings-model.ts';
import { arg, benchDatabase, percentile } from './support.ts';

const example = (f: string) => readFileSync(new URL(`../docs/examples/kingdee/${f}`, import.meta.url), 'utf8');

export async function main() {
  const kind = arg('db', 'embedded');
  const requests = Number(arg('requests', '10000'));
  const concurrency = Number(arg('concurrency', '20'));
  const perCall = Math.max(1, Number(arg('per-call', '1')));
  const expression = example('production-order.jsonata');
  const order = (n: number) => {
    const o = JSON.parse(example('production-order.json'));
    o.Model.FBillNo = `MO-B-${n}`;
    return o;
  };

  const m0 = performance.now();
  const mapped = Math.min(requests, 5000);
  for (let i = 0; i < mapped; i++) if (!('canonical' in readCanonical('production-request', await runMapping(expression, order(i))))) throw new Error('shape');
  const mappingPerSecond = mapped / ((performance.now() - m0) / 1000);

  const { db, drop } = await benchDatabase(kind);
  const app = await createApp({
    config: { ...loadConfig({}), adminPassword: 'bench-pass-1', port: 0, mqttPort: 0, reconcileEveryMinutes: 0 },
    db,
    logger: pino({ level: 'silent' }),
  });
  try {
    const login = await app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'bench-pass-1' } });
    const auth = { authorization: `Bearer ${login.json().token}` };
    const call = async (method: 'POST' | 'PUT', url: string, payload: unknown, headers: Record<string, string> = {}) => {
      const r = await app.http.inject({ method, url, payload: payload as string, headers: { ...auth, ...headers } });
      if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
      return r;
    };
    for (const it of [
      { code: 'RIM', name: 'Rim', kind: 'raw', uom: 'pcs' },
      { code: 'TYRE', name: 'Tyre', kind: 'raw', uom: 'pcs' },
      { code: 'LACED', name: 'Laced wheel', kind: 'semi', uom: 'pcs' },
      { code: 'WHEEL', name: 'Wheel', kind: 'finished', uom: 'pcs' },
    ])
      await call('POST', '/api/v1/erp/items', it);
    await call('PUT', '/api/v1/erp/boms/LACED', { components: [{ itemCode: 'RIM', qty: 1 }] });
    await call('PUT', '/api/v1/erp/boms/WHEEL', { components: [{ itemCode: 'LACED', qty: 1 }, { itemCode: 'TYRE', qty: 1 }] });
    await call('POST', '/api/v1/mes/work-centers', { code: 'LACING', name: 'Lacing', costPerHour: 40 });
    await call('POST', '/api/v1/mes/work-centers', { code: 'ASSEMBLY', name: 'Assembly', costPerHour: 30 });
    await call('PUT', '/api/v1/mes/routings/LACED', { operations: [{ seq: 10, name: 'Lace', workCenter: 'LACING', setupMinutes: 5, minutesPerUnit: 4 }] });
    await call('PUT', '/api/v1/mes/routings/WHEEL', { operations: [{ seq: 10, name: 'Mount', workCenter: 'ASSEMBLY', setupMinutes: 2, minutesPerUnit: 2 }] });
    await app.relay.drain(60_000);
    await call('PUT', '/api/v1/integration/systems/KD', { name: 'Kingdee', role: 'erp' });
    for (const k of ['item', 'uom', 'plant']) await call('PUT', `/api/v1/integration/systems/KD/code-maps/${k}`, example(`${k}.csv`), { 'content-type': 'text/csv' });
    await call('PUT', '/api/v1/integration/systems/KD/mappings/production-order', { message: 'production-request', expression });

    const latencies: number[] = [];
    const calls = Math.ceil(requests / perCall);
    const body = (c: number) => {
      if (perCall === 1) return order(c);
      const bills = [];
      for (let n = c * perCall; n < Math.min(requests, (c + 1) * perCall); n++) bills.push(order(n).Model);
      return { Model: bills };
    };
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let c = next++; c < calls; c = next++) {
          const s = performance.now();
          await call('POST', '/api/v1/integration/systems/KD/inbound/production-order', body(c));
          latencies.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const [{ n }] = await db.query<{ n: number }>("select count(*)::int as n from mes.work_orders where external_system = 'KD' and top");
    console.log(
      JSON.stringify({
        db: kind,
        requests,
        concurrency,
        perCall,
        topWorkOrders: n,
        requestsPerSecond: Math.round(requests / seconds),
        callP50ms: Math.round(percentile(latencies, 50) * 10) / 10,
        callP99ms: Math.round(percentile(latencies, 99) * 10) / 10,
        mappingOnlyPerSecond: Math.round(mappingPerSecond),
      }),
    );
  } finally {
    await app.close();
    await drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
