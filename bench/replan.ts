/**
 * Replanning when the floor changes, at the reschedule bench's size: from a floor event (a work
 * centre down, the same centre back up) to the moment the ERP holds the new planned dates of every
 * open work order. 50 work centres on two-shift calendars, 40 items with 8-operation routings,
 * `--work-orders` order lines of one work order each (default 2,000 = 16,000 operations); one schedule first,
 * then `--events` events one after another, replanning on (threshold 0, debounce `--debounce` ms,
 * solver limit `--limit` s, frozen zone 0, a broken centre assumed down 72 h so that a breakdown on
 * a weekend still takes working time). Reports p50/p95/max of the event→ERP time and the parts.
 * `npx tsx bench/replan.ts --db postgres [--work-orders 2000] [--events 10] [--limit 1] [--debounce 100]`
 */
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/index.ts';
import { arg, benchDatabase, percentile, prng } from './support.ts';

export async function main() {
  const kind = arg('db', 'embedded');
  const n = Number(arg('work-orders', '2000'));
  const events = Number(arg('events', '10'));
  const limit = Number(arg('limit', '1'));
  const debounce = Number(arg('debounce', '100'));
  const { db, drop } = await benchDatabase(kind);
  const config = { ...loadConfig({}), adminPassword: 'bench-pass-1', port: 0, mqttPort: 0, reconcileEveryMinutes: 0, replanOnEvents: true, replanDownThresholdMs: 0, replanDebounceMs: debounce, replanFrozenHours: 0, replanTimeLimitSeconds: limit, replanAssumedDownHours: 72 };
  const app = await createApp({ config, db, logger: pino({ level: 'silent' }) });
  const r = prng(7);
  try {
    const login = await app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'bench-pass-1' } });
    const auth = { authorization: `Bearer ${login.json().token}` };
    const call = async (method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown) => {
      const res = await app.http.inject({ method, url, payload: payload as object, headers: auth });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const shifts = [1, 2, 3, 4, 5].flatMap((day) => [{ day, from: '06:00', to: '14:00' }, { day, from: '14:00', to: '22:00' }]);
    for (let c = 0; c < 50; c++) await call('POST', '/api/v1/mes/work-centers', { code: `WC${c}`, name: `Centre ${c}`, costPerHour: 40, calendar: { shifts } });
    for (let k = 0; k < 40; k++) await call('POST', '/api/v1/erp/items', { code: `P${k}`, name: `Part ${k}`, kind: 'finished', uom: 'pcs', standardCost: 10 });
    await settle(app);
    for (let k = 0; k < 40; k++)
      await call('PUT', `/api/v1/mes/routings/P${k}`, {
        operations: Array.from({ length: 8 }, (_, s) => ({ seq: (s + 1) * 10, name: `Op ${s + 1}`, workCenter: `WC${Math.floor(r() * 50)}`, setupMinutes: 10, minutesPerUnit: 1 + Math.floor(r() * 10) })),
      });
    const t0 = performance.now();
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    await call('POST', '/api/v1/erp/customers', { code: 'C1', name: 'Customer' });
    // sales orders of 10 lines, approved: one work order a line (the ERP follows their planned dates)
    const orders: Promise<unknown>[] = [];
    for (let w = 0; w < n; w += 10) {
      const lines = Array.from({ length: Math.min(10, n - w) }, () => ({ itemCode: `P${Math.floor(r() * 40)}`, qty: 5 + Math.floor(r() * 10), dueDate: day(3 + Math.floor(r() * 25)) }));
      orders.push(call('POST', '/api/v1/erp/sales-orders', { customer: 'C1', lines }).then((so: { id: string }) => call('POST', `/api/v1/erp/sales-orders/${so.id}/approve`)));
      if (orders.length === 8) await Promise.all(orders.splice(0));
    }
    await Promise.all(orders);
    await settle(app);
    const setupSeconds = (performance.now() - t0) / 1000;
    const s0 = performance.now();
    // the orders' release replans on its own; the full schedule waits its turn
    for (;;) {
      const res = await app.http.inject({ method: 'POST', url: '/api/v1/planning/schedule', payload: { objective: 'tardiness', timeLimitSeconds: limit }, headers: auth });
      if (res.statusCode === 200) break;
      if (res.statusCode !== 409) throw new Error(`schedule: ${res.statusCode} ${res.body}`);
      await new Promise((res2) => setTimeout(res2, 200));
    }
    await settle(app);
    const firstScheduleSeconds = (performance.now() - s0) / 1000;

    const samples: { total: number; replan: number }[] = [];
    for (let e = 0; e < events; e++) {
      // a new replan is a newer first entry (the newest only: polling the whole list, moves and all, every 20 ms slows the replan it waits for)
      const newest = async () => ((await call('GET', '/api/v1/planning/replans?limit=1')).replans as { at: string }[])[0]?.at ?? '';
      const before = await newest();
      const centre = `WC${Math.floor(e / 2) % 50}`;
      const at = performance.now();
      await call('POST', '/api/v1/mes/equipment-events', { workCenter: centre, state: e % 2 === 0 ? 'down' : 'running', reason: 'bench', at: new Date().toISOString() });
      // the replan is recorded, then the ERP catches up with every planned date the MES holds
      let replanAt = 0;
      for (;;) {
        if (!replanAt && (await newest()) > before) replanAt = performance.now();
        if (replanAt && (await behind(app)) === 0) break;
        if (performance.now() - at > 120_000) throw new Error(`event ${e}: no new dates in the ERP after 120 s (replan recorded: ${replanAt > 0}, work orders behind: ${await behind(app)})`);
        await new Promise((res) => setTimeout(res, 20));
      }
      samples.push({ total: performance.now() - at, replan: replanAt - at });
    }
    const totals = samples.map((s) => s.total);
    const replans = ((await call('GET', '/api/v1/planning/replans')).replans as { status: string; moved: unknown[]; timings?: Record<string, number> }[]).slice(0, events);
    const part = (k: string) => Math.round(percentile(replans.map((x) => x.timings?.[k] ?? 0), 50));
    console.log(
      JSON.stringify({
        bench: 'replan',
        db: kind,
        workOrders: n,
        operations: n * 8,
        settings: { thresholdMs: 0, debounceMs: debounce, limitSeconds: limit, frozenHours: 0, assumedDownHours: 72 },
        setupSeconds: +setupSeconds.toFixed(1),
        firstScheduleSeconds: +firstScheduleSeconds.toFixed(2),
        events,
        eventToErpMs: { p50: Math.round(percentile(totals, 50)), p95: Math.round(percentile(totals, 95)), max: Math.round(Math.max(...totals)) },
        eventToReplanRecordedMs: { p50: Math.round(percentile(samples.map((s) => s.replan), 50)), p95: Math.round(percentile(samples.map((s) => s.replan), 95)) },
        replanPartsP50Ms: { read: part('readMs'), solve: part('solveMs'), build: part('buildMs'), schedule: part('scheduleMs'), write: part('writeMs') },
        perEvent: samples.map((x, i) => ({ event: i % 2 === 0 ? 'down' : 'up', totalMs: Math.round(x.total), replanMs: Math.round(x.replan), moved: replans[events - 1 - i]?.moved.length, timings: replans[events - 1 - i]?.timings })),
        movedPerReplan: Math.round(replans.reduce((s, x) => s + x.moved.length, 0) / Math.max(1, replans.length)),
        failed: replans.filter((x) => x.status !== 'done').length,
        errors: [...new Set(replans.map((x) => (x as { error?: string }).error).filter(Boolean))],
      }),
    );
  } finally {
    await app.close();
    await drop();
  }

  /** Open work orders whose planned dates the ERP does not yet hold as the MES does. */
  async function behind(a: typeof app): Promise<number> {
    const [row] = await a.db.query<{ n: number }>(
      `select count(*)::int as n from mes.work_orders m left join erp.work_orders e on e.id = m.id
        where m.status in ('released', 'in_progress') and m.sales_order is not null and (e.id is null or e.planned_start is distinct from m.planned_start or e.planned_end is distinct from m.planned_end)`,
    );
    return row.n;
  }
}

/** Until the bus has delivered everything committed so far. */
async function settle(app: Awaited<ReturnType<typeof createApp>>) {
  for (let i = 0; i < 6000; i++) {
    const [row] = await app.db.query<{ n: number }>(`select count(*)::int as n from platform.outbox where status in ('pending', 'failed')`);
    if (row.n === 0) return;
    await new Promise((res) => setTimeout(res, 20));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
