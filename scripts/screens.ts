/**
 * `npm run screens`: the README's screenshots, taken from the demo factory while it runs. Starts
 * `closeloop demo` on free ports with a temporary data folder, lets the shop floor move, signs in
 * with Debian's Chromium and saves each screen in English and Chinese to docs/screens/, then stops.
 * Chinese pictures need a CJK font on the machine (`fc-list :lang=zh`); without one they are skipped.
 */
import { execSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureBuilt, launch, openTab, root, signIn } from '../test/web/browser.ts';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function hasCjkFont(): boolean {
  try {
    return execSync('fc-list :lang=zh', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().length > 0;
  } catch {
    return false;
  }
}

const WARMUP_MS = Number(process.env.SCREENS_WARMUP_MS ?? 25_000);

async function main() {
  ensureBuilt();
  const [port, mqttPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'closeloop-screens-'));
  const password = randomBytes(12).toString('base64url');
  const demo = spawn(process.execPath, [join(root, 'bin/closeloop.js'), 'demo', '--quiet'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MQTT_PORT: String(mqttPort), CLOSELOOP_DATA_DIR: dataDir, CLOSELOOP_ADMIN_PASSWORD: password, DATABASE_URL: '', NATS_URL: '', MQTT_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the demo did not start within 180 s')), 180_000);
      demo.stdout!.on('data', (b: Buffer) => {
        process.stdout.write(b);
        if (b.toString().includes('demo is running')) {
          clearTimeout(timer);
          resolve();
        }
      });
      demo.once('exit', (code) => reject(new Error(`the demo stopped (exit ${code})`)));
    });
    console.log(`letting the shop floor move for ${WARMUP_MS / 1000} s…`);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })).json();
    const get = async (path: string) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${login.token}` } })).json();
    const workOrders = (await get('/api/v1/mes/work-orders')) as { salesOrder?: string; itemCode: string; outputLots?: { lot: string }[] }[];
    const order = workOrders.find((w) => w.salesOrder)?.salesOrder;
    const lot = workOrders.find((w) => w.outputLots?.length)?.outputLots?.[0]?.lot;
    const item = workOrders[0]?.itemCode;
    const shots: [string, string][] = [
      ['cockpit', '#/cockpit'],
      ['orders', '#/orders'],
      ...(order ? ([['order-detail', `#/orders/${encodeURIComponent(order)}`]] as [string, string][]) : []),
      ['new-order', '#/orders/new'],
      ['planner-board', '#/planner'],
      ['master-items', '#/master/items'],
      ...(item ? ([['item-bom-routing', `#/master/items/${encodeURIComponent(item)}`]] as [string, string][]) : []),
      ['purchasing', '#/purchasing/requisitions'],
      ['admin-keys', '#/admin/keys'],
      ...(lot ? ([['genealogy', `#/trace/${encodeURIComponent(lot)}?direction=backward`]] as [string, string][]) : []),
    ];
    const out = join(root, 'docs/screens');
    mkdirSync(out, { recursive: true });
    const browser = await launch();
    try {
      for (const lang of hasCjkFont() ? ['en', 'zh-CN'] : ['en']) {
        const tab = await openTab(browser, lang, 20_000);
        await tab.page.setViewportSize({ width: 1440, height: 900 });
        await signIn(tab.page, base, 'admin', password, `?lang=${lang}`);
        for (const [name, hash] of shots) {
          await tab.page.goto(`${base}/?lang=${lang}${hash}`);
          await tab.page.locator('h1').first().waitFor();
          await tab.page.waitForTimeout(1500); // data arrives, charts animate in
          const file = join(out, `${name}${lang === 'en' ? '' : `-${lang}`}.png`);
          await tab.page.screenshot({ path: file });
          console.log(`saved ${file}`);
        }
        await tab.context.close();
      }
      if (!hasCjkFont()) console.log('no CJK font on this machine (fc-list :lang=zh): Chinese screenshots skipped');
    } finally {
      await browser.close();
    }
  } finally {
    demo.kill('SIGTERM');
    await new Promise((r) => demo.once('exit', r).once('error', r) && setTimeout(r, 10_000));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
