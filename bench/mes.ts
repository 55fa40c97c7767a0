/**
 * MES benchmark: genealogy on a large history and concurrent production reports.
 *
 *   npx tsx bench/mes.ts --db embedded|postgres [--links 1000000] [--operators 100] [--reports 100]
 *
 * postgres: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the server;
 * the benchmark creates a fresh database there and drops it at the end.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExternalWorkOrders, reportOperation, startOperation, traceLot } from '../src/mes/index.ts';
import { Database, loadConfig, migrate, systemClock, type Actor } from '../src/platform/index.ts';
import { benchDatabase } from './support.ts';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const arg = (argv: string[], name: string, d: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : d;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (n: number) => `${n.toFixed(2)} ms`;


/** Lots on 7 levels (0 = supplier lots, 6 = finished); each lot of level k consumed 2 lots of level k-1. */
async function loadGenealogy(db: Database, links: number, out: (s: string) => void) {
  const perLevel = Math.ceil(links / 12);
  const t0 = performance.now();
  await db.query(
    `insert into mes.genealogy (input_lot, output_lot, work_order_id, qty, at)
     select 'L' || (k - 1) || '-' || ((j + i * 7919) % $1), 'L' || k || '-' || j, 'WO-' || k || '-' || j, 1, now()
       from generate_series(1, 6) k, generate_series(0, $1 - 1) j, generate_series(0, 1) i`,
    [perLevel],
  );
  const t1 = performance.now();
  await db.query(
    `insert into mes.lots (lot, item_code, qty, initial_qty, status, supplier, work_order_id)
     select 'L' || k || '-' || j, 'ITEM-' || k, 10, 10, 'available', case when k = 0 then 'SUP-' || (j % 50) end,
            case when k > 0 then 'WO-' || k || '-' || j end
       from generate_series(0, 6) k, generate_series(0, $1 - 1) j`,
    [perLevel],
  );
  await db.query('analyze mes.genealogy');
  await db.query('analyze mes.lots');
  const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from mes.genealogy');
  out(`genealogy: ${n.toLocaleString('en')} links inserted in ${((t1 - t0) / 1000).toFixed(1)} s (${Math.round(n / ((t1 - t0) / 1000)).toLocaleString('en')} links/s), ${(7 * perLevel).toLocaleString('en')} lots`);
  return perLevel;
}

async function timeTraces(db: Database, perLevel: number, out: (s: string) => void) {
  const count = (n: any): number => 1 + n.children.reduce((s: number, c: any) => s + count(c), 0);
  for (const direction of ['backward', 'forward'] as const) {
    const level = direction === 'backward' ? 6 : 0;
    const times: number[] = [];
    let nodes = 0;
    for (let i = 0; i < 220; i++) {
      const lot = `L${level}-${(i * 104729) % perLevel}`;
      const t0 = performance.now();
      const tree = await traceLot(db, lot, direction);
      const dt = performance.now() - t0;
      if (i >= 20) times.push(dt); // first 20 warm the cache
      nodes = count(tree);
    }
    out(`trace ${direction} of a 6-level lot (${nodes} nodes): p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))} over ${times.length} lots`);
  }
}

async function timeReports(db: Database, operators: number, perOperator: number, out: (s: string) => void) {
  const config = loadConfig({});
  const deps = { clock: systemClock, config };
  const actor: Actor = { kind: 'system', id: 'bench', roles: ['admin'] };
  await db.query(
    `insert into mes.work_centers (code, name, cost_per_hour, labor_cost_per_hour, capacity, calendar) values ('BWC', 'Bench', 60, 30, 100, '{"shifts":[],"exceptions":[]}')`,
  );
  await db.query(`insert into mes.items (code, name, kind, uom) values ('BENCH', 'Bench item', 'finished', 'pcs')`);
  await db.query(`insert into mes.routing_operations (item_code, seq, name, work_center, setup_minutes, minutes_per_unit) values ('BENCH', 10, 'make', 'BWC', 0, 1)`);
  const created = await db.unitOfWork({ actor, module: 'mes' }, (uow) =>
    createExternalWorkOrders(uow, Array.from({ length: operators }, (_, i) => ({ externalRef: `B-${i}`, itemCode: 'BENCH', qty: 1_000_000 }))),
  );
  const ops = await db.query<{ id: string }>(
    `select o.id from mes.operations o join mes.work_orders w on w.id = o.work_order_id where w.id = any($1::text[]) order by o.id`,
    [created.map((c) => c.workOrders[0].id)],
  );
  for (const [i, o] of ops.entries()) await db.unitOfWork({ actor, module: 'mes' }, (uow) => startOperation(uow, deps, o.id, `op-${i}`));
  // warm-up, not timed: each pooled connection prepares the report's statements
  await Promise.all(ops.map((o, i) => db.unitOfWork({ actor: { ...actor, id: `op-${i}` }, module: 'mes' }, (uow) => reportOperation(uow, deps, o.id, { goodQty: 1 }))));
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    ops.map(async (o, i) => {
      for (let k = 0; k < perOperator; k++) {
        const s = performance.now();
        await db.unitOfWork({ actor: { ...actor, id: `op-${i}` }, module: 'mes' }, (uow) => reportOperation(uow, deps, o.id, { goodQty: 1, energyKwh: 0.1 }));
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const total = operators * perOperator;
  out(`reports: ${operators} operators × ${perOperator} reports on ${ops.length} work orders: ${Math.round(total / seconds).toLocaleString('en')} reports/s (p95 latency ${ms(pct(latencies, 95))})`);
}

export async function main(argv: string[] = process.argv.slice(2), out: (s: string) => void = console.log) {
  const kind = arg(argv, '--db', 'embedded');
  if (!['embedded', 'postgres'].includes(kind)) throw new Error('--db embedded|postgres');
  const links = Number(arg(argv, '--links', '1000000'));
  const operators = Number(arg(argv, '--operators', '100'));
  const perOperator = Number(arg(argv, '--reports', '100'));
  const { db, drop } = await benchDatabase(kind);
  try {
    await migrate(db, [
      { module: 'platform', dir: join(root, 'src/platform/migrations') },
      { module: 'mes', dir: join(root, 'src/mes/migrations') },
    ]);
    out(`MES benchmark on ${kind}`);
    const perLevel = await loadGenealogy(db, links, out);
    await timeTraces(db, perLevel, out);
    await timeReports(db, operators, perOperator, out);
  } finally {
    await drop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
