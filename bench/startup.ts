/**
 * Start-up cost of the compiled command (ADR 0008), as wall time and as a ratio to a bare
 * `node -e 0` on the same machine, median of several runs:
 *   - `closeloop --help` (target < 0.4 s),
 *   - `closeloop jssp ft10 --time-limit 10` (target < 10.5 s wall time),
 *   - `closeloop serve` on an empty embedded database until /health answers.
 *   npx tsx bench/startup.ts [--runs 5] [--skip-jssp]
 * Needs the build (`npm run build`): it times what a user runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/closeloop.js');
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 5;
if (!existsSync(join(root, 'dist/cli/main.js'))) {
  console.error('bench/startup: no build in dist/ (npm run build)');
  process.exit(1);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function timed(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function serveUntilHealthy(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-startup-'));
  const port = await freePort();
  const t = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, PORT: String(port), MQTT_PORT: '0', CLOSELOOP_DATA_DIR: dir, CLOSELOOP_ADMIN_PASSWORD: 'bench-startup-1', DATABASE_URL: '', NATS_URL: '' },
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) return Number(process.hrtime.bigint() - t) / 1e9;
      if (Number(process.hrtime.bigint() - t) > 180e9) throw new Error("serve did not answer /health within 180 s");
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const bare = median(Array.from({ length: runs }, () => timed(['-e', '0'])));
const help = median(Array.from({ length: runs }, () => timed([bin, '--help'])));
console.log(`node -e 0                     ${bare.toFixed(3)} s`);
console.log(`closeloop --help              ${help.toFixed(3)} s  (${(help / bare).toFixed(1)} × node -e 0)`);
if (!argv.includes('--skip-jssp')) {
  const jssp = timed([bin, 'jssp', join(root, 'bench/data/jssp/ft10.txt'), '--time-limit', '10']);
  console.log(`closeloop jssp ft10 -t 10     ${jssp.toFixed(3)} s  (${(jssp - 10).toFixed(3)} s over the limit)`);
}
const serve: number[] = [];
for (let i = 0; i < Math.min(runs, 3); i++) serve.push(await serveUntilHealthy());
console.log(`closeloop serve → /health     ${median(serve).toFixed(3)} s  (empty embedded database, migrations included)`);
