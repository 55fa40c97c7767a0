/**
 * ERP benchmark: 10,000 items over 5 BOM levels (each made item has 3 components one level down,
 * from a seeded PRNG) and the standard-cost roll-up through every level; then 100,000 stock moves
 * (50,000 receipts, 50,000 issues over 1,000 lots) through the ledger in batches of 1,000 moves per
 * transaction (balances locked and checked, projection updated in the same transaction).
 *
 *   npx tsx bench/erp.ts --db embedded
 *   npx tsx bench/erp.ts --db postgres     (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test;
 *                                            a fresh database is created and dropped)
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rollUpStandardCosts } from '../src/erp/boms/service.ts';
import { issue } from '../src/erp/inventory/service.ts';
import { postMoves } from '../src/erp/inventory/ledger.ts';
import type { StockMove } from '../src/erp/inventory/model.ts';
import { erpModule } from '../src/erp/index.ts';
import { Database, migrate, systemActor } from '../src/platform/index.ts';
import { benchDatabase, prng } from './support.ts';

const LEVEL_SIZES = [1000, 1500, 2000, 2500, 3000]; // 10,000 items; level 4 is bought
const MOVES = 100_000;
const LOTS = 1_000;
const BATCH = 1_000;



async function seedItems(db: Database) {
  const random = prng(20261126);
  const levels = LEVEL_SIZES.map((size, level) => Array.from({ length: size }, (_, k) => `${['FG', 'SA', 'SB', 'SC', 'RM'][level]}-${String(k).padStart(5, '0')}`));
  const codes = levels.flat();
  const kinds = levels.flatMap((l, level) => l.map(() => (level === 0 ? 'finished' : level === 4 ? 'raw' : 'semi')));
  const costs = levels.flatMap((l, level) => l.map(() => (level === 4 ? Math.round(random() * 10000) / 100 : 0)));
  const parents: string[] = [];
  const components: string[] = [];
  const positions: number[] = [];
  const qtys: number[] = [];
  levels.slice(0, 4).forEach((l, level) => {
    const below = levels[level + 1];
    for (const parent of l) {
      const picked = new Set<string>();
      while (picked.size < 3) picked.add(below[Math.floor(random() * below.length)]);
      [...picked].forEach((c, i) => {
        parents.push(parent);
        components.push(c);
        positions.push(i + 1);
        qtys.push(1 + Math.floor(random() * 4));
      });
    }
  });
  await db.unitOfWork({ actor: systemActor, module: 'erp' }, async (uow) => {
    await uow.query(
      `insert into erp.items (code, name, kind, uom, standard_cost) select c, c, k, 'pcs', s from unnest($1::text[], $2::text[], $3::numeric[]) as u(c, k, s)`,
      [codes, kinds, costs],
    );
    const withBom = codes.filter((_, i) => kinds[i] !== 'raw');
    await uow.query(`insert into erp.boms (item_code, version, created_by) select c, 1, 'bench' from unnest($1::text[]) as c`, [withBom]);
    await uow.query(
      `insert into erp.bom_components (item_code, version, position, component_code, qty) select p, 1, n, c, q from unnest($1::text[], $2::int[], $3::text[], $4::numeric[]) as u(p, n, c, q)`,
      [parents, positions, components, qtys],
    );
  });
  return { items: codes.length, edges: parents.length, raws: levels[4] };
}

export async function main(argv = process.argv.slice(2)) {
  const kind = argv[argv.indexOf('--db') + 1] === 'postgres' ? 'postgres' : 'embedded';
  const { db, drop } = await benchDatabase(kind);
  try {
    await migrate(db, [
      { module: 'platform', dir: join(import.meta.dirname, '../src/platform/migrations') },
      { module: 'erp', dir: erpModule.migrationsDir! },
    ]);
    const seed = await seedItems(db);
    let t0 = performance.now();
    const first = await db.unitOfWork({ actor: systemActor, module: 'erp' }, (uow) => rollUpStandardCosts(uow));
    const rollUpMs = performance.now() - t0;
    t0 = performance.now();
    await db.unitOfWork({ actor: systemActor, module: 'erp' }, (uow) => rollUpStandardCosts(uow));
    const rollUpAgainMs = performance.now() - t0;
    const [top] = await db.query(`select standard_cost, low_level_code from erp.items where code = 'FG-00000'`);

    const lots = Array.from({ length: LOTS }, (_, k) => ({ itemCode: seed.raws[k % seed.raws.length], lot: `BL-${k}` }));
    const half = MOVES / 2;
    const batch = (from: number, sign: 1 | -1): StockMove[] =>
      Array.from({ length: BATCH }, (_, k) => {
        const l = lots[(from + k) % LOTS];
        return { kind: sign > 0 ? 'receipt' : 'issue', itemCode: l.itemCode, lot: l.lot, warehouse: 'MAIN', status: 'available', qty: sign * 2, unitCost: 1.25 };
      });
    t0 = performance.now();
    for (let n = 0; n < half; n += BATCH) await db.unitOfWork({ actor: systemActor, module: 'erp' }, (uow) => postMoves(uow, batch(n, 1)));
    for (let n = 0; n < half; n += BATCH) await db.unitOfWork({ actor: systemActor, module: 'erp' }, (uow) => postMoves(uow, batch(n, -1)));
    const movesMs = performance.now() - t0;
    const [{ moves }] = await db.query<{ moves: number }>('select count(*)::int as moves from erp.stock_moves');
    const [{ left }] = await db.query<{ left: string }>('select sum(qty) as left from erp.stock_balances');

    // the issue use case one transaction each (lot check, ledger, journal, reorder check)
    await db.query(
      `insert into erp.lots (item_code, lot, origin, unit_cost) select item_code, lot, 'opening', 1.25 from unnest($1::text[], $2::text[]) as u(item_code, lot)`,
      [lots.map((l) => l.itemCode), lots.map((l) => l.lot)],
    );
    await db.unitOfWork({ actor: systemActor, module: 'erp' }, (uow) => postMoves(uow, lots.map((l) => ({ kind: 'receipt', itemCode: l.itemCode, lot: l.lot, warehouse: 'MAIN', status: 'available', qty: 100, unitCost: 1.25 }))));
    const ISSUES = 2_000;
    const workers = kind === 'postgres' ? 8 : 1;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let n = w; n < ISSUES; n += workers) {
          const l = lots[n % LOTS];
          await db.unitOfWork({ actor: systemActor, module: 'erp' }, (uow) => issue(uow, { itemCode: l.itemCode, lot: l.lot, qty: 1, workOrderId: `WO-${n}` }));
        }
      }),
    );
    const issueMs = performance.now() - t0;

    const out = {
      database: kind,
      items: seed.items,
      bomLines: seed.edges,
      rollUpMs: Math.round(rollUpMs),
      rollUpChanged: first.changed,
      rollUpAgainMs: Math.round(rollUpAgainMs),
      topItem: { standardCost: Number(top.standard_cost), lowLevelCode: top.low_level_code },
      stockMoves: moves,
      stockMovesMs: Math.round(movesMs),
      stockMovesPerSecond: Math.round((MOVES / movesMs) * 1000),
      balanceLeft: Number(left),
      issueUseCase: { issues: ISSUES, concurrency: workers, perSecond: Math.round((ISSUES / issueMs) * 1000) },
      loadAverage: loadavg()[0].toFixed(1),
    };
    console.log(JSON.stringify(out, null, 2));
    return out;
  } finally {
    await drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
