/**
 * The loop's speed: approval → work orders visible (p50/p99 over N orders, one at a time), and a
 * bulk release of many orders over a 3-level BOM (work orders/s).
 * and progress: operators reporting on work orders at once, and how long until the ERP has every report.
 * `npx tsx bench/loop.ts --db embedded|postgres --orders 1000 --bulk 10000 [--operators 100 --reports 20] [--nats nats://127.0.0.1:4222]`
 */
import { connect } from 'nats';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { reportOperation, startOperation } from '../src/mes/index.ts';
import { loadConfig } from '../src/platform/index.ts';
import { arg, benchDatabase, percentile } from './support.ts';

export async function main() {
  const kind = arg('db', 'embedded');
  const orders = Number(arg('orders', '1000'));
  const bulk = Number(arg('bulk', '10000'));
  const natsUrl = arg('nats', '') || undefined; // the bus over NATS JetStream (a stream of its own, deleted at the end)
  const natsStream = `CLOSELOOP_BENCH_${process.pid}`;
  const { db, drop } = await benchDatabase(kind);
  const app = await createApp({
    config: { ...loadConfig({}), adminPassword: 'bench-pass-1', port: 0, mqttPort: 0, reconcileEveryMinutes: 0, natsUrl, natsStream },
    db,
    logger: pino({ level: 'silent' }),
  });
  try {
    const login = await app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'bench-pass-1' } });
    const auth = { authorization: `Bearer ${login.json().token}` };
    const call = async (method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown) => {
      const r = await app.http.inject({ method, url, payload: payload as any, headers: auth });
      if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
      return r.json();
    };
    for (const it of [
      { code: 'RIM', name: 'Rim', kind: 'raw', uom: 'pcs', standardCost: 12 },
      { code: 'TYRE', name: 'Tyre', kind: 'raw', uom: 'pcs', standardCost: 8 },
      { code: 'LACED', name: 'Laced wheel', kind: 'semi', uom: 'pcs' },
      { code: 'WHEEL', name: 'Wheel', kind: 'semi', uom: 'pcs' },
      { code: 'WHEELSET', name: 'Wheel set', kind: 'finished', uom: 'pcs' },
    ])
      await call('POST', '/api/v1/erp/items', it);
    await call('PUT', '/api/v1/erp/boms/LACED', { components: [{ itemCode: 'RIM', qty: 1 }] });
    await call('PUT', '/api/v1/erp/boms/WHEEL', { components: [{ itemCode: 'LACED', qty: 1 }, { itemCode: 'TYRE', qty: 1 }] });
    await call('PUT', '/api/v1/erp/boms/WHEELSET', { components: [{ itemCode: 'WHEEL', qty: 2 }] });
    await call('POST', '/api/v1/mes/work-centers', { code: 'WC1', name: 'Lacing', costPerHour: 40 });
    await call('POST', '/api/v1/mes/work-centers', { code: 'WC2', name: 'Assembly', costPerHour: 30 });
    await call('PUT', '/api/v1/mes/routings/LACED', { operations: [{ seq: 10, name: 'Lace', workCenter: 'WC1', setupMinutes: 5, minutesPerUnit: 4 }] });
    await call('PUT', '/api/v1/mes/routings/WHEEL', { operations: [{ seq: 10, name: 'Mount', workCenter: 'WC2', setupMinutes: 2, minutesPerUnit: 2 }] });
    await call('PUT', '/api/v1/mes/routings/WHEELSET', { operations: [{ seq: 10, name: 'Pack', workCenter: 'WC2', setupMinutes: 1, minutesPerUnit: 1 }] });
    await call('POST', '/api/v1/erp/customers', { code: 'C1', name: 'Customer' });
    await app.relay.drain(60_000);
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const newOrder = async () => (await call('POST', '/api/v1/erp/sales-orders', { customer: 'C1', lines: [{ itemCode: 'WHEELSET', qty: 2, dueDate: due }] })).id as string;

    // 1. Latency, one order at a time: approval answered → its work orders committed.
    const latencies: number[] = [];
    for (let i = 0; i < orders; i++) {
      const id = await newOrder();
      const t0 = performance.now();
      await call('POST', `/api/v1/erp/sales-orders/${id}/approve`);
      for (;;) {
        const [r] = await db.query<{ n: number }>('select count(*)::int as n from mes.work_orders where sales_order = $1', [id]);
        if (r.n >= 3) break;
        await new Promise((res) => setImmediate(res));
      }
      latencies.push(performance.now() - t0);
    }
    await app.relay.drain(120_000);

    // 2. Bulk: release many orders, count work orders/s until all exist.
    const ids: string[] = [];
    for (let i = 0; i < bulk; i++) ids.push(await newOrder());
    const [before] = await db.query<{ n: number }>('select count(*)::int as n from mes.work_orders');
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < ids.length) await call('POST', `/api/v1/erp/sales-orders/${ids[next++]}/approve`);
      }),
    );
    const approvedMs = performance.now() - t0;
    for (;;) {
      const [r] = await db.query<{ n: number }>('select count(*)::int as n from mes.work_orders');
      if (r.n - before.n >= bulk * 3) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const secs = (performance.now() - t0) / 1000;
    // and until the ERP shows every order's planned dates (the acknowledgements handled)
    for (;;) {
      const [r] = await db.query<{ n: number }>(
        `select count(*)::int as n from erp.sales_order_lines where order_id = any($1::text[]) and planned_end is not null`,
        [ids],
      );
      if (r.n >= bulk) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const plannedSecs = (performance.now() - t0) / 1000;
    // 3. Progress: operators report on 100 work orders at once; how fast do the reports reach the ERP?
    const operators = Number(arg('operators', '100'));
    const perOperator = Number(arg('reports', '20'));
    const progressOrders: string[] = [];
    for (let i = 0; i < operators; i++) {
      const id = (await call('POST', '/api/v1/erp/sales-orders', { customer: 'C1', lines: [{ itemCode: 'WHEELSET', qty: 1000, dueDate: due }] })).id as string;
      await call('POST', `/api/v1/erp/sales-orders/${id}/approve`);
      progressOrders.push(id);
    }
    await app.relay.drain(120_000);
    const ops = await db.query<{ id: string }>(
      `select o.id from mes.operations o join mes.work_orders w on w.id = o.work_order_id
        where w.sales_order = any($1::text[]) and w.item_code = 'LACED' order by o.id`,
      [progressOrders],
    );
    const actor = { kind: 'user' as const, id: 'bench', roles: ['admin'] };
    const deps = { clock: app.deps.clock, config: app.deps.config };
    for (const o of ops) await db.unitOfWork({ actor, module: 'mes' }, (uow) => startOperation(uow, deps, o.id));
    await app.relay.drain(120_000);
    const p0 = performance.now();
    await Promise.all(
      ops.map(async (o) => {
        for (let k = 0; k < perOperator; k++) await db.unitOfWork({ actor, module: 'mes' }, (uow) => reportOperation(uow, deps, o.id, { goodQty: 1 }));
      }),
    );
    const reportedMs = performance.now() - p0;
    for (;;) {
      const [r] = await db.query<{ n: number }>(`select count(*)::int as n from platform.outbox where type = 'ProcessOperationsPerformance' and status <> 'delivered'`);
      if (r.n === 0) break;
      await new Promise((res) => setTimeout(res, 5));
    }
    const inErpMs = performance.now() - p0;
    const reports = ops.length * perOperator;
    // the same through the HTTP API, as operator terminals send them (token, validation, idempotency)
    const h0 = performance.now();
    await Promise.all(
      ops.map(async (o) => {
        for (let k = 0; k < perOperator; k++) await call('POST', `/api/v1/mes/operations/${o.id}/report`, { goodQty: 1 });
      }),
    );
    const httpMs = performance.now() - h0;
    console.log(
      JSON.stringify({
        bench: 'loop',
        db: kind,
        bus: app.relay.kind,
        approvalToWorkOrdersMs: { orders, p50: +percentile(latencies, 50).toFixed(2), p99: +percentile(latencies, 99).toFixed(2) },
        bulk: { salesOrders: bulk, workOrders: bulk * 3, approvalsSeconds: +(approvedMs / 1000).toFixed(2), totalSeconds: +secs.toFixed(2), workOrdersPerSecond: Math.round((bulk * 3) / secs), plannedDatesInErpSeconds: +plannedSecs.toFixed(2) },
        progress: {
          workOrders: ops.length,
          reports,
          reportsPerSecond: Math.round(reports / (reportedMs / 1000)),
          allInErpSeconds: +(inErpMs / 1000).toFixed(2),
          erpMessagesPerSecond: Math.round(reports / (inErpMs / 1000)),
          erpLagAtLastReportMs: Math.round(inErpMs - reportedMs),
          httpReportsPerSecond: Math.round(reports / (httpMs / 1000)),
        },
      }),
    );
  } finally {
    await app.close();
    await drop();
    if (natsUrl) {
      const nc = await connect({ servers: natsUrl });
      await (await nc.jetstreamManager()).streams.delete(natsStream).catch(() => undefined);
      await nc.close();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
