/**
 * MRP benchmark: 15,000 items over 5 BOM levels (each made item has 3–5 components from lower
 * levels), 50,000 demand lines over 90 days, some stock and scheduled receipts; all from a seeded
 * PRNG, so every run plans the same plant. Prints the median of 3 timed runs of runMrp.
 *
 *   npx tsx bench/planning-mrp.ts                 (with full pegging, the default)
 *   npx tsx bench/planning-mrp.ts --no-pegging    (quantities and dates only)
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { addDays, runMrp, type MrpInput, type MrpItem, type LotSizing } from '../src/planning/mrp/index.ts';
import { prng } from './support.ts';

const LEVEL_SIZES = [2000, 2500, 3000, 3500, 4000]; // 15,000 items; level 4 is bought
const DEMAND_LINES = 50_000;
const DAYS = 90;
const TODAY = '2026-01-05';
const RUNS = 3;


export function generatePlant(seed = 20260105): MrpInput {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const levels = LEVEL_SIZES.map((size, level) =>
    Array.from({ length: size }, (_, k) => `${['FG', 'SA', 'SB', 'SC', 'RM'][level]}-${String(k).padStart(5, '0')}`),
  );
  const last = levels.length - 1;
  const input: MrpInput = { today: TODAY, items: [], boms: [], demands: [], onHand: [], scheduledReceipts: [] };

  levels.forEach((codes, level) => {
    for (const code of codes) {
      const roll = random();
      const lotSizing: LotSizing =
        roll < 0.6 ? { rule: 'lot-for-lot' } : roll < 0.8 ? { rule: 'fixed', qty: int(2, 20) * 10 } : { rule: 'minimum', qty: int(1, 10) * 25 };
      const item: MrpItem = {
        code,
        kind: level === 0 ? 'finished' : level === last ? 'raw' : 'semi',
        leadTimeDays: level === last ? int(3, 20) : int(1, 5),
        lotSizing,
      };
      if (random() < 0.1) item.safetyStock = int(1, 20) * 5;
      input.items.push(item);
      if (level < last) {
        const components = new Set<string>();
        const wanted = int(3, 5);
        while (components.size < wanted) {
          // mostly the next level down, sometimes any lower level
          const below = random() < 0.7 ? level + 1 : int(level + 1, last);
          components.add(levels[below][Math.floor(random() * levels[below].length)]);
        }
        input.boms.push({
          parent: code,
          components: [...components].map((itemCode) => ({
            itemCode,
            qty: random() < 0.8 ? int(1, 4) : int(1, 12) * 0.25,
            ...(random() < 0.2 ? { scrapFactor: int(1, 5) / 100 } : {}),
          })),
        });
      }
      if (random() < 0.3) input.onHand.push({ itemCode: code, qty: int(1, 200) });
      if (random() < 0.2) {
        input.scheduledReceipts.push({ itemCode: code, qty: int(1, 50) * 10, dueDate: addDays(TODAY, int(0, 30)), ref: `PO-${code}` });
      }
    }
  });

  for (let line = 0; line < DEMAND_LINES; line++) {
    const dueDate = addDays(TODAY, int(1, DAYS));
    if (random() < 0.9) {
      const itemCode = levels[0][Math.floor(random() * levels[0].length)];
      input.demands.push({ itemCode, qty: int(1, 50), dueDate, ref: `SO-${Math.floor(line / 4) + 1}/${(line % 4) + 1}` });
    } else {
      // material of an open work order
      const level = int(1, last);
      const itemCode = levels[level][Math.floor(random() * levels[level].length)];
      input.demands.push({ itemCode, qty: int(1, 100), dueDate, ref: `WO-${line}` });
    }
  }
  return input;
}

export interface MrpBenchFigures {
  items: number;
  demandLines: number;
  plannedOrders: number;
  pegs: number;
  exceptions: number;
  /** median wall-clock seconds of runMrp */
  seconds: number;
  runs: number[];
  /** the median run's process CPU seconds (user + system, all threads: GC included) */
  cpuSeconds: number;
}

export function main(argv: string[] = process.argv.slice(2)): MrpBenchFigures {
  const pegging = !argv.includes('--no-pegging');
  const input = generatePlant();
  const runs: { seconds: number; cpuSeconds: number }[] = [];
  let counts = { plannedOrders: 0, pegs: 0, exceptions: 0 };
  for (let run = 0; run < RUNS; run++) {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = runMrp(input, { pegging });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    runs.push({ seconds, cpuSeconds: (used.user + used.system) / 1e6 });
    counts = {
      plannedOrders: result.plannedOrders.length,
      pegs: result.plannedOrders.reduce((sum, order) => sum + order.peggedTo.length, 0),
      exceptions: result.exceptions.length,
    };
  }
  const median = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(RUNS / 2)];
  const figures: MrpBenchFigures = {
    items: input.items.length,
    demandLines: input.demands.length,
    ...counts,
    seconds: median.seconds,
    runs: runs.map((r) => r.seconds),
    cpuSeconds: median.cpuSeconds,
  };
  console.log(
    `planning/mrp${pegging ? '' : ' (no pegging)'}: ${figures.items} items, ${figures.demandLines} demand lines → ` +
      `${figures.plannedOrders} planned orders (${figures.pegs} pegs, ${figures.exceptions} exceptions) ` +
      `in ${figures.seconds.toFixed(3)} s, median of ${RUNS} (${figures.runs.map((s) => s.toFixed(3)).join(', ')}); ` +
      `CPU ${figures.cpuSeconds.toFixed(3)} s; load average ${loadavg()[0].toFixed(1)}`,
  );
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
