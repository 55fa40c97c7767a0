/**
 * Web bench: the built app's initial JavaScript (what index.html loads before any screen, gzip;
 * the budget is 500 kB, over it the bench fails)
 * and the first cockpit render in Debian's Chromium (navigation start → every KPI shown), against
 * an in-process server on a fresh embedded database with a small factory in it.
 *
 *   npx tsx bench/web.ts
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createApp } from '../src/app.ts';
import { Database, loadConfig } from '../src/platform/index.ts';
import { openPglite } from '../src/platform/db/index.ts';
import { seedFactory } from '../test/web/seed.ts';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'web/dist');
const RUNS = 5;

function newest(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n = Math.max(n, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return n;
}

const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;

function bundleSizes() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]);
  const size = (f: string) => {
    const buf = readFileSync(join(dist, f));
    return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  };
  const sum = (files: string[]) => files.map(size).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
  const all = readdirSync(join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  return { initial, initialSize: sum(initial), allSize: sum(all), chunks: all.map((f) => ({ f, ...size(f) })).sort((a, b) => b.gzip - a.gzip) };
}

async function main() {
  if (!existsSync(join(dist, 'index.html')) || statSync(join(dist, 'index.html')).mtimeMs < newest(join(root, 'web/src'))) {
    execSync('npm run build:web', { cwd: root, stdio: 'inherit' });
  }
  const sizes = bundleSizes();
  console.log(`initial JS (index.html: ${sizes.initial.length} files): ${kB(sizes.initialSize.gzip)} gzip (${kB(sizes.initialSize.raw)} raw)`);
  const BUDGET = 500 * 1024;
  console.log(`  budget 500 kB gzip: ${sizes.initialSize.gzip < BUDGET ? 'within' : 'OVER'} (${((sizes.initialSize.gzip / BUDGET) * 100).toFixed(0)}% of it)`);
  if (sizes.initialSize.gzip >= BUDGET) process.exitCode = 1;
  console.log(`all JS chunks: ${kB(sizes.allSize.gzip)} gzip (${kB(sizes.allSize.raw)} raw); largest chunks:`);
  for (const c of sizes.chunks.slice(0, 4)) console.log(`  ${c.f}: ${kB(c.gzip)} gzip`);

  const db = new Database(await openPglite(undefined));
  const app = await createApp({ config: { ...loadConfig({}), adminPassword: 'admin-pass-1', port: 0, mqttPort: 0 }, db, logger: false });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const call = async (method: string, url: string, body?: unknown, token?: string) => {
      const r = await app.http.inject({
        method: method as 'GET',
        url,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        payload: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null };
    };
    const login = (await call('POST', '/api/v1/auth/login', { username: 'admin', password: 'admin-pass-1' })).body;
    await seedFactory((m, u, b) => call(m, u, b, login.token), async () => {
      await app.relay.drain();
    });
    const url = (await app.listen()).replace(/\/$/, '');
    const me = (await call('GET', '/api/v1/auth/me', undefined, login.token)).body;
    const session = JSON.stringify({ token: login.token, username: me.username, roles: me.roles, permissions: me.permissions, scope: me.scope });
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript(`sessionStorage.setItem('closeloop.session', ${JSON.stringify(session)})`);
      const page = await context.newPage();
      await page.goto(`${url}/?lang=en#/cockpit`);
      // Functions, not strings: the page runs under a CSP without 'unsafe-eval'.
      await page.waitForFunction(
        () => {
          const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document;
          const k = Array.from(doc.querySelectorAll('[data-kpi]'));
          return k.length === 10 && k.every((e) => !!e.textContent && e.textContent.trim() !== '…');
        },
        undefined,
        { timeout: 30_000, polling: 'raf' },
      );
      times.push(await page.evaluate(() => (globalThis as unknown as { performance: { now(): number } }).performance.now()));
      await context.close();
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`first cockpit render (navigation → all 10 KPIs shown), ${RUNS} fresh browser contexts:`);
    console.log(`  cold ${times[0].toFixed(0)} ms · median ${sorted[Math.floor(RUNS / 2)].toFixed(0)} ms · best ${sorted[0].toFixed(0)} ms`);
    console.log(`  (load average ${loadavg()[0].toFixed(1)} on this machine while measuring)`);
  } finally {
    await browser.close();
    await app.close();
    await db.close().catch(() => undefined);
  }
}

await main();
