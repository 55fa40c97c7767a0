import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { raiseAlert, systemActor } from '../../src/platform/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { addOrder, seedFactory, type Factory } from './seed.ts';

/**
 * The web app in Debian's Chromium, against an in-process server on a fresh database: sign-in,
 * the cockpit's KPIs and their live update, the language switch (alerts too), the operator terminal
 * and its offline queue. SCREENSHOTS=1 also saves a picture of each screen to docs/screens/.
 */
const root = join(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  const index = join(root, 'web/dist/index.html');
  const sources = Math.max(newestMtime(join(root, 'web/src')), statSync(join(root, 'web/index.html')).mtimeMs);
  if (!existsSync(index) || statSync(index).mtimeMs < sources) execSync('npm run build:web', { cwd: root, stdio: 'pipe' });
}

let t: TestApp;
let url: string;
let browser: Browser;
let factory: Factory;
let operatorName: string;
const consoleErrors: string[] = [];
/** Failures the browser reports while a test has the network cut on purpose. */
let expectNetworkErrors = false;
const contexts: BrowserContext[] = [];

async function newPage(lang = 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: lang });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (expectNetworkErrors && /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|Failed to fetch/.test(m.text())) return;
    // The browser logs the 401 of a wrong password; the page says it to the user.
    if (/status of 401/.test(m.text()) && m.location().url.endsWith('/api/v1/auth/login')) return;
    consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

async function signIn(page: Page, username: string, password: string, query = '') {
  await page.goto(`${url}/${query}`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.locator('.topbar').waitFor();
}

async function kpiValues(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const el of await page.locator('[data-kpi]').all()) out[(await el.getAttribute('data-kpi'))!] = (await el.getAttribute('data-value')) ?? '';
  return out;
}

/** Chinese screenshots only where the machine has a CJK font (else they show boxes). */
function hasCjkFont(): boolean {
  try {
    return execSync('fc-list :lang=zh', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().length > 0;
  } catch {
    return false;
  }
}

async function shot(page: Page, name: string) {
  if (process.env.SCREENSHOTS !== '1') return;
  mkdirSync(join(root, 'docs/screens'), { recursive: true });
  await page.waitForTimeout(700); // charts animate in
  await page.screenshot({ path: join(root, 'docs/screens', `${name}.png`) });
}

const opStatus = async (opId: string) => {
  const r = await t.as(t.adminToken)('GET', `/api/v1/mes/work-orders?salesOrder=${encodeURIComponent(factory.salesOrder)}`);
  for (const w of r.body) for (const o of w.operations) if (o.id === opId) return o.status as string;
  return 'missing';
};

beforeAll(async () => {
  ensureBuilt();
  t = await startTestApp();
  url = (await t.app.listen()).replace(/\/$/, '');
  [browser, factory] = await Promise.all([
    chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] }),
    seedFactory(t.as(t.adminToken), () => t.settle()).then(async (f) => {
      await addOrder(t.as(t.adminToken), () => t.settle(), 'C1', 'FG', 40, 1);
      return f;
    }),
  ]);
  const admin = t.as(t.adminToken);
  operatorName = 'op1';
  const r = await admin('POST', '/api/v1/users', { username: operatorName, password: 'password-123', roles: ['operator'] });
  if (r.status !== 201) throw new Error(`operator: ${r.status} ${JSON.stringify(r.body)}`);
  await admin('POST', '/api/v1/users', { username: 'boss', password: 'password-123', roles: ['manager'] });
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe('web app in Chromium', { timeout: 60_000 }, () => {
  let cockpit: Page;

  it('signs in with the form, and says so when the password is wrong', async () => {
    cockpit = await newPage();
    await cockpit.goto(`${url}/`);
    await shot(cockpit, 'sign-in');
    await cockpit.locator('input[name=username]').fill('boss');
    await cockpit.locator('input[name=password]').fill('wrong-password');
    await cockpit.locator('button[type=submit]').click();
    await expect.poll(() => cockpit.locator('[role=alert]').textContent()).toContain('Wrong');
    await cockpit.locator('input[name=password]').fill('password-123');
    await cockpit.locator('button[type=submit]').click();
    await cockpit.locator('.topbar').waitFor();
    // A manager sees the cockpit and not the operator terminal.
    expect(await cockpit.locator('nav a[data-screen=cockpit]').count()).toBe(1);
    expect(await cockpit.locator('nav a[data-screen=terminal]').count()).toBe(0);
  });

  it('shows every KPI of the cockpit', async () => {
    const names = ['onTimeDeliveryRate', 'openOrders', 'wipQty', 'oee', 'firstPassYield', 'inventoryValue', 'openAlerts', 'deliveryCycleDays', 'inventoryTurnover', 'meanAlertResponseMinutes'];
    for (const n of names) await cockpit.locator(`[data-kpi=${n}]`).waitFor();
    await expect.poll(async () => (await cockpit.locator('[data-kpi=openOrders]').textContent())?.trim()).not.toBe('…');
    const api = await t.as(t.adminToken)('GET', '/api/v1/cockpit/kpis');
    expect(Number((await kpiValues(cockpit)).openOrders)).toBe(Number(api.body.openOrders));
    await shot(cockpit, 'cockpit');
  });

  let admin: Page;

  it('previews the impact of an order change before sending it', async () => {
    admin = await newPage();
    await signIn(admin, 'admin', 'admin-pass-1');
    await admin.goto(`${url}/#/orders/${encodeURIComponent(factory.salesOrder)}`);
    await admin.locator('[data-testid=change-1]').click();
    await admin.locator('.modal input[name=qty]').fill('6');
    await admin.locator('[data-testid=impact]').waitFor();
    expect(await admin.locator('[data-testid=impact] tbody tr').count()).toBeGreaterThan(0);
    await shot(admin, 'order-change-impact');
    await admin.locator('.modal-actions button').first().click();
    expect(await admin.locator('.modal').count()).toBe(0);
  });

  it('shows the schedule as a Gantt per work centre, reschedules, and answers a CTP date', async () => {
    await admin.goto(`${url}/#/planner`);
    await admin.locator('[data-testid=gantt] canvas').waitFor();
    await admin.locator('[data-testid=reschedule]').click();
    await expect.poll(() => admin.locator('[data-testid=reschedule]').isEnabled(), { timeout: 30_000 }).toBe(true); // the solver runs in a worker for its time limit
    await admin.locator('input[name=itemCode]').fill('FG');
    await admin.locator('input[name=qty]').fill('3');
    await admin.locator('form.form-row button[type=submit]').click();
    const ctp = (await t.as(t.adminToken)('GET', '/api/v1/planning/ctp?itemCode=FG&qty=3')).body;
    await expect.poll(() => admin.locator('[data-testid=ctp]').getAttribute('data-date')).toBe(ctp.date);
    await shot(admin, 'planner-board');
  });

  let kpisBefore: Record<string, string> = {};

  it('the operator terminal starts, consumes a scanned lot, reports scrap with a reason and completes an operation', async () => {
    await t.settle();
    kpisBefore = await kpiValues(cockpit);
    const page = await newPage();
    await signIn(page, operatorName, 'password-123');
    expect(await page.locator('nav a[data-screen=cockpit]').count()).toBe(0);
    await page.goto(`${url}/#/terminal`);
    const cut = factory.operations.find((o) => o.seq === 10)!;
    await page.locator('select[name=workCenter]').selectOption(cut.workCenter);
    const card = page.locator(`[data-op="${cut.id}"]`);
    await card.locator('[data-action=start]').click();
    await expect.poll(() => opStatus(cut.id)).toBe('running');
    await card.locator('[data-action=open-report]').click();
    await card.locator('input[name=lot]').fill(`RAW|L-RAW`);
    await card.locator('input[name=consumeQty]').fill('2');
    await card.locator('[data-action=consume]').click();
    await expect
      .poll(async () => {
        await t.settle();
        return Number((await t.as(t.adminToken)('GET', '/api/v1/erp/inventory/RAW')).body.onHand);
      })
      .toBe(98);
    await card.locator('input[name=goodQty]').fill('4');
    await card.locator('input[name=scrapQty]').fill('1');
    await card.locator('select[name=scrapReason]').selectOption('dimension');
    await shot(page, 'operator-terminal');
    await card.locator('[data-action=complete]').click();
    await expect.poll(() => opStatus(cut.id)).toBe('done');
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);
    await page.close();
  });

  it("updates the manager's cockpit without a reload after the operator's report", async () => {
    await t.settle();
    await expect.poll(async () => JSON.stringify(await kpiValues(cockpit)), { timeout: 10_000 }).not.toBe(JSON.stringify(kpisBefore));
  });

  it('the offline queue keeps actions while the network is down and sends them in order when it returns', async () => {
    const page = await newPage();
    await signIn(page, operatorName, 'password-123');
    await page.goto(`${url}/#/terminal`);
    const asm = factory.operations.find((o) => o.seq === 20)!;
    await page.locator('select[name=workCenter]').selectOption(asm.workCenter);
    const card = page.locator(`[data-op="${asm.id}"]`);
    await card.locator('[data-action=start]').waitFor();
    expectNetworkErrors = true;
    await page.context().setOffline(true);
    await card.locator('[data-action=start]').click();
    await card.locator('[data-action=open-report]').click();
    await card.locator('input[name=goodQty]').fill('4');
    await card.locator('[data-action=complete]').click();
    await expect.poll(() => page.locator('[data-pending-key]').count()).toBe(2);
    await expect.poll(() => page.locator('[data-testid=network]').getAttribute('class')).toContain('net-off');
    await shot(page, 'operator-terminal-offline');
    expect(await opStatus(asm.id)).toBe('pending');
    await page.context().setOffline(false);
    await expect.poll(() => page.locator('[data-pending-key]').count(), { timeout: 15_000 }).toBe(0);
    expectNetworkErrors = false;
    await expect.poll(() => opStatus(asm.id)).toBe('done');
    await t.settle();
    const wos = (await t.as(t.adminToken)('GET', `/api/v1/mes/work-orders?salesOrder=${encodeURIComponent(factory.salesOrder)}`)).body;
    expect(wos[0].status).toBe('completed');
    expect(wos[0].goodQty).toBe(4);
    await page.close();
  });

  it("shows alerts in the reader's language, and an alert without a message key in its stored English", async () => {
    const cut = factory.operations.find((o) => o.seq === 10)!.workCenter;
    const api = t.as(t.adminToken);
    expect((await api('POST', '/api/v1/mes/equipment-events', { workCenter: cut, state: 'down', reason: 'spindle' })).status).toBe(201);
    // as the relay raises a dead letter's integration_failure: no key
    await t.app.db.unitOfWork({ actor: systemActor, module: 'integration' }, (uow) =>
      raiseAlert(uow, { kind: 'integration_failure', severity: 'critical', ref: 'web-test/1', message: 'ProcessX could not be handled by web-test' }),
    );
    const page = await newPage('zh-CN');
    await signIn(page, 'admin', 'admin-pass-1', '?lang=zh-CN');
    await page.goto(`${url}/?lang=zh-CN#/alerts`);
    const messages = page.locator('[data-alert-message]');
    await expect.poll(() => messages.allTextContents()).toContain(`工作中心 ${cut} 设备停机：spindle`);
    expect(await messages.allTextContents()).toContain('ProcessX could not be handled by web-test');
    await page.locator('select[name=lang]').selectOption('en');
    await expect.poll(() => messages.allTextContents()).toContain(`Work centre ${cut} is down: spindle`);
    await page.close();
    expect((await api('POST', '/api/v1/mes/equipment-events', { workCenter: cut, state: 'running' })).status).toBe(201);
  });

  it('switches to Chinese on every page, by the switch and by ?lang=', async () => {
    await cockpit.locator('select[name=lang]').selectOption('zh-CN');
    await expect.poll(() => cockpit.locator('h1').first().textContent()).toBe('管理驾驶舱');
    expect(await cockpit.locator('nav a[data-screen=cockpit]').textContent()).toBe('管理驾驶舱');
    expect(cockpit.url()).toContain('lang=zh-CN');
    if (hasCjkFont()) await shot(cockpit, 'cockpit-zh-CN');
    const fresh = await newPage('en-US');
    await fresh.goto(`${url}/?lang=zh-CN`);
    expect(await fresh.locator('button[type=submit]').textContent()).toBe('登录');
    await cockpit.locator('select[name=lang]').selectOption('en');
    await expect.poll(() => cockpit.locator('h1').first().textContent()).toBe('Management cockpit');
  });

  it('shows each screen without a console error', async () => {
    const screens: [string, string][] = [
      ['orders', '#/orders'],
      ['order-detail', `#/orders/${encodeURIComponent(factory.salesOrder)}`],
      ['quality', '#/quality'],
      ['inventory', '#/inventory/RAW'],
      ['integration', '#/integration'],
      ['alerts', '#/alerts'],
      ['cockpit-big-screen', '#/cockpit?big=1'],
    ];
    for (const [name, hash] of screens) {
      await admin.goto(`${url}/${hash}`);
      await admin.locator('h1').first().waitFor();
      await admin.waitForTimeout(300);
      await shot(admin, name);
    }
    expect(consoleErrors).toEqual([]);
  });
});
