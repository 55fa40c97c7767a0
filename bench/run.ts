/**
 * `npm run bench` runs every benchmark, one process each, on both databases where that applies;
 * `npm run bench -- outbox loop` runs only those. Figures go to stdout; BENCHMARKS.md keeps them
 * with the machine and the date. The PostgreSQL runs use BENCH_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test) and make their own database.
 */
import { spawnSync } from 'node:child_process';

const both = ['--db embedded', '--db postgres'];
const benches: Record<string, string[]> = {
  outbox: both,
  erp: both,
  mes: both,
  loop: both.map((d) => `${d} --orders 1000 --bulk 10000`),
  ingest: both,
  integration: both.map((d) => `${d} --events 10000 --refs 500 --reports 1000`),
  planning: ['--work-orders 2000 --time-limit 5'],
  'planning-mrp': [''],
  jssp: ['--time-limit 1'],
  web: [''],
  startup: [''],
};

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
let failed = 0;
for (const [name, variants] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  for (const args of variants) {
    console.log(`\n== bench/${name}.ts ${args}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`, ...args.split(' ').filter(Boolean)], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
}
process.exitCode = failed ? 1 : 0;
