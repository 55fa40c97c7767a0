/**
 * Job-shop benchmark: solves every instance in bench/data/jssp (or JSSP_DATA) at a time
 * limit per instance and compares with the best known upper bound (gap = (makespan - ub) / ub).
 *
 *   npx tsx bench/jssp.ts --time-limit 1 [--only la] [--seed 1] [--data DIR]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSchedule, parseJobShop, solveJobShop } from '../src/planning/scheduler/index.ts';
import { jsspDataDir } from './jssp-data.ts';

interface Bound {
  lower: number;
  upper: number;
}

function readBounds(dir: string): Map<string, Bound> {
  const bounds = new Map<string, Bound>();
  let text = '';
  try {
    text = readFileSync(join(dir, 'bounds.tsv'), 'utf8');
  } catch {
    return bounds;
  }
  for (const line of text.split(/\r?\n/).slice(1)) {
    const cols = line.trim().split(/\t/);
    if (cols.length < 5) continue;
    bounds.set(cols[0], { lower: Number(cols[3]), upper: Number(cols[4]) });
  }
  return bounds;
}

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function main(argv: string[] = process.argv.slice(2), out: (line: string) => void = console.log): number {
  const timeLimit = Number(argValue(argv, '--time-limit') ?? '1');
  const only = argValue(argv, '--only');
  const seed = Number(argValue(argv, '--seed') ?? '1');
  const dir = resolve(argValue(argv, '--data') ?? jsspDataDir());
  const bounds = readBounds(dir);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .filter((f) => !only || f.startsWith(only))
    .sort();
  const gaps = new Map<string, number[]>();
  out(`time limit ${timeLimit}s per instance, seed ${seed}, data ${dir}`);
  out(['instance', 'size', 'ub', 'makespan', 'gap%', 'seconds', 'iterations'].map((c) => c.padStart(10)).join(''));
  for (const file of files) {
    const name = file.replace(/\.txt$/, '');
    const instance = parseJobShop(readFileSync(join(dir, file), 'utf8'));
    const t0 = performance.now();
    const result = solveJobShop(instance, { timeLimitMs: timeLimit * 1000, seed, now: () => performance.now() });
    const seconds = (performance.now() - t0) / 1000;
    const violations = checkSchedule(instance, result.starts, result.makespan);
    if (violations.length > 0) {
      out(`${name}: INFEASIBLE schedule: ${violations.slice(0, 3).join('; ')}`);
      return 1;
    }
    const ub = bounds.get(name)?.upper;
    const gap = ub ? ((result.makespan - ub) / ub) * 100 : NaN;
    const family = name.replace(/\d+$/, '');
    if (!Number.isNaN(gap)) gaps.set(family, [...(gaps.get(family) ?? []), gap]);
    out(
      [name, `${instance.jobs.length}x${instance.machines}`, ub ?? '-', result.makespan, Number.isNaN(gap) ? '-' : gap.toFixed(2), seconds.toFixed(2), result.iterations]
        .map((c) => String(c).padStart(10))
        .join(''),
    );
  }
  out('');
  const all: number[] = [];
  for (const [family, list] of gaps) {
    all.push(...list);
    out(`mean gap ${family.padEnd(4)} ${(list.reduce((a, b) => a + b, 0) / list.length).toFixed(2)}% over ${list.length} instances (optimal: ${list.filter((g) => g <= 0).length})`);
  }
  if (all.length > 0) out(`mean gap all  ${(all.reduce((a, b) => a + b, 0) / all.length).toFixed(2)}% over ${all.length} instances`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
