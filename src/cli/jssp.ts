/**
 * `closeloop jssp FILE [--time-limit SECONDS]`: solves a job-shop instance in the standard text
 * format and prints one JSON line `{"makespan":N,"starts":[[...],...]}`.
 */
import { readFile } from 'node:fs/promises';
import { JobShopFormatError, parseJobShop, solveJobShop } from '../planning/index.ts';

const USAGE = 'usage: closeloop jssp FILE [--time-limit SECONDS] [--seed N]';
const DEFAULT_TIME_LIMIT_SECONDS = 10;

function fail(message: string, code: number): number {
  process.stderr.write(`error: ${message}\n`);
  if (code === 2) process.stderr.write(`${USAGE}\n`);
  return code;
}

export async function runJssp(argv: string[], out: (line: string) => void): Promise<number> {
  let file: string | undefined;
  let timeLimit = DEFAULT_TIME_LIMIT_SECONDS;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const inline = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined;
    if (arg === '--time-limit' || arg.startsWith('--time-limit=')) {
      const value = inline ?? argv[++i];
      const seconds = Number(value);
      if (value === undefined || value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
        return fail('--time-limit needs a positive number of seconds', 2);
      }
      timeLimit = seconds;
    } else if (arg === '--seed' || arg.startsWith('--seed=')) {
      const value = inline ?? argv[++i];
      seed = Number(value);
      if (value === undefined || !Number.isInteger(seed)) return fail('--seed needs an integer', 2);
    } else if (arg === '-h' || arg === '--help') {
      out(USAGE);
      return 0;
    } else if (arg.startsWith('--')) {
      return fail(`unknown option ${arg}`, 2);
    } else if (file === undefined) {
      file = arg;
    } else {
      return fail(`unexpected argument ${arg}`, 2);
    }
  }
  if (file === undefined) return fail('missing FILE', 2);
  const started = performance.now();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return fail(`cannot read ${file}: ${(err as Error).message}`, 1);
  }
  let instance;
  try {
    instance = parseJobShop(text);
  } catch (err) {
    if (err instanceof JobShopFormatError) return fail(`${file} is not a valid job-shop file: ${err.message}`, 1);
    throw err;
  }
  // keep a small margin for start-up and output within the requested limit
  const budgetMs = Math.max(1, timeLimit * 1000 - Math.min(250, timeLimit * 50));
  // On a terminal, a progress line on stderr (stdout stays the one JSON object of the contract).
  const bar = process.stderr.isTTY
    ? (best: number, elapsedMs: number) => {
        const done = Math.min(1, elapsedMs / budgetMs);
        const width = 30;
        process.stderr.write(`\r[${'#'.repeat(Math.round(done * width)).padEnd(width)}] ${(elapsedMs / 1000).toFixed(1)}/${(budgetMs / 1000).toFixed(1)} s  best makespan ${best}  `);
      }
    : undefined;
  const result = solveJobShop(instance, { timeLimitMs: budgetMs, seed, now: () => performance.now() - started, onProgress: bar });
  if (bar) process.stderr.write('\n');
  out(JSON.stringify({ makespan: result.makespan, starts: result.starts }));
  return 0;
}
