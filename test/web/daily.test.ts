import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { ensureBuilt, launch, openTab, signIn, type Tab } from './browser.ts';
import { seedFactory, type Factory } from './seed.ts';

/**
 * The web for daily work, in Debian's Chromium against a fresh server: a planner enters master data
 * (the routing too: process planning) and an order, a purchaser buys and receives into a second
 * warehouse, an admin manages device keys, a bad spreadsheet row is shown, genealogy and the message
 * trace as pictures; each of those paths again in zh-CN; a supervisor never meets a 403. Every page action has a timeout (openTab).
 */
let t: TestApp;
let url: string;
let browser: Browser;
let factory: Factory;
const tabs: Tab[] = [];
const PASSWORD = 'password-123';
/** The whole path runs in both languages of the app. */
const LANGS = ['en', 'zh-CN'] as const;
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const admin = () => t.as(t.adminToken);

async function tab(user: string, lang = 'en') {
  const tb = await openTab(browser, lang);
  tabs.push(tb);
  await signIn(tb.page, url, user, user === 'admin' ? ADMIN_PASSWORD : PASSWORD, lang === 'en' ? '' : `?lang=${lang}`);
  return tb;
}
const at = (lang: string, hash: string) => `${url}/${lang === 'en' ? '' : `?lang=${lang}`}${hash}`;

async function ok(method: string, path: string, body?: unknown) {
  const r = await admin()(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  ensureBuilt();
  t = await startTestApp();
  url = (await t.app.listen()).replace(/\/$/, '');
  [browser, factory] = await Promise.all([launch(), seedFactory(admin(), () => t.settle())]);
  for (const [username, roles] of [['pl1', ['planner']], ['sup1', ['supervisor']], ['pu1', ['purchaser']], ['wh1', ['warehouse']]] as const)
    await ok('POST', '/api/v1/users', { username, password: PASSWORD, roles });
  await ok('POST', '/api/v1/erp/suppliers', { code: 'S1', name: 'Steel Co' });
}, 120_000);

afterAll(async () => {
  for (const x of tabs) await x.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

/** The planner's day in the UI: a customer, an item with a BOM and a routing, an order with its CTP date, approved. */
async function plannerPath(lang: string, s: string) {
  const pl = await tab('pl1', lang);
  const p = pl.page;
  expect(await p.locator('nav a[data-screen=master]').count()).toBe(1);
  expect(await p.locator('nav a[data-screen=admin]').count()).toBe(0);
  await p.goto(at(lang, '#/master/customers'));
  const customer = p.locator('[data-testid=create-customers]');
  await customer.locator('input[name=code]').fill(`C-${s}`);
  await customer.locator('input[name=name]').fill(`Customer ${s}`);
  await customer.locator('button[type=submit]').click();
  await p.locator(`[data-testid=list-customers] [data-row="C-${s}"]`).waitFor();

  await p.goto(at(lang, '#/master/items'));
  const item = p.locator('[data-testid=create-items]');
  await item.locator('input[name=code]').fill(`FG-${s}`);
  await item.locator('input[name=name]').fill(`Bracket ${s}`);
  await item.locator('select[name=kind]').selectOption('finished');
  await item.locator('input[name=uom]').fill('pcs');
  await item.locator('input[name=standardCost]').fill('10');
  await item.locator('button[type=submit]').click();
  await p.locator(`[data-testid=list-items] [data-row="FG-${s}"] a`).click();
  await p.locator('[data-action=add-component]').click();
  await p.locator('input[name="components.0.itemCode"]').fill('RAW');
  await p.locator('input[name="components.0.qty"]').fill('2');
  await p.locator('[data-action=save-bom]').click();
  await p.locator('[data-testid=bom-tree] [data-component=RAW]').waitFor();
  expect((await ok('GET', `/api/v1/erp/boms/FG-${s}`)).components).toEqual([{ itemCode: 'RAW', qty: 2, scrapFactor: 0 }]);
  // Process planning is the planner's: the routing of the new item, on a work centre.
  await p.goto(at(lang, '#/master/routings'));
  await p.locator('input[name=itemCode]').fill(`FG-${s}`);
  await p.locator('input[name=itemCode]').press('Enter');
  await p.locator('[data-action=add-operation]').click();
  await p.locator('input[name="operations.0.name"]').fill('Cut');
  await p.locator('input[name="operations.0.workCenter"]').fill('CUT');
  await p.locator('input[name="operations.0.setupMinutes"]').fill('5');
  await p.locator('input[name="operations.0.minutesPerUnit"]').fill('2');
  await p.locator('[data-action=save-routing]').click();
  await p.locator('[data-testid=routing-saved]').waitFor();
  expect((await ok('GET', `/api/v1/mes/routings/FG-${s}`)).operations).toMatchObject([{ seq: 10, name: 'Cut', workCenter: 'CUT', setupMinutes: 5, minutesPerUnit: 2 }]);

  await p.goto(at(lang, '#/orders'));
  await p.locator('[data-action=new-order]').click();
  await p.locator('input[name=customer]').fill(`C-${s}`);
  await p.locator('input[name="lines.0.itemCode"]').fill(`FG-${s}`);
  await p.locator('input[name="lines.0.qty"]').fill('3');
  await p.locator('input[name="lines.0.dueDate"]').fill(day(20));
  const ctp = await ok('GET', `/api/v1/planning/ctp?itemCode=FG-${s}&qty=3`);
  await expect.poll(() => p.locator('[data-testid=ctp-1]').getAttribute('data-date'), { timeout: 10_000 }).toBe(ctp.date);
  await p.locator('[data-action=save-order]').click();
  await p.locator('[data-action=approve]').waitFor();
  const id = decodeURIComponent(p.url().split('#/orders/')[1]);
  expect((await ok('GET', `/api/v1/erp/sales-orders/${id}`)).status).toBe('draft');
  await p.locator('[data-action=approve]').click();
  await expect.poll(async () => (await ok('GET', `/api/v1/erp/sales-orders/${id}`)).status, { timeout: 10_000 }).not.toBe('draft');
  await expect
    .poll(async () => {
      await t.settle();
      return p.locator(`[data-testid=work-orders] [data-wo="FG-${s}"]`).count();
    }, { timeout: 15_000 })
    .toBe(1);
  return { pl, id };
}

/** The seeded order made (its raw lot consumed), shipped: its output lot, once for every language. */
let shipped: Promise<string> | undefined;
function shippedLot() {
  shipped ??= (async () => {
    for (const op of factory.operations.sort((a, b) => a.seq - b.seq)) {
      await ok('POST', `/api/v1/mes/operations/${op.id}/start`, {});
      if (op.seq === 10) await ok('POST', `/api/v1/mes/work-orders/${factory.workOrder}/consume`, { itemCode: 'RAW', lot: 'L-RAW', qty: 10 });
      await ok('POST', `/api/v1/mes/operations/${op.id}/report`, { goodQty: 5, complete: true });
    }
    await t.settle();
    const [wo] = await ok('GET', `/api/v1/mes/work-orders?salesOrder=${encodeURIComponent(factory.salesOrder)}`);
    await t.settle();
    await ok('POST', `/api/v1/erp/sales-orders/${factory.salesOrder}/ship`, {});
    await t.settle();
    return wo.outputLots[0].lot as string;
  })();
  return shipped;
}

describe('daily work in the web app', { timeout: 90_000 }, () => {
  it('a planner creates a customer, an item with a BOM and a routing, enters and approves an order, and sees its work orders', async () => {
    const { pl } = await plannerPath('en', 'WEB');
    expect(pl.forbidden).toEqual([]);
  });

  it('the same planner path in Chinese', async () => {
    const { pl } = await plannerPath('zh-CN', 'ZH');
    expect(await pl.page.locator('nav a[data-screen=master]').textContent()).toBe('主数据');
    expect(await pl.page.locator('[data-testid=work-orders] th').first().textContent()).toBe('生产工单');
  });

  for (const lang of LANGS)
    it(`[${lang}] a spreadsheet with one bad row shows the row and its error as the API reports it, and imports nothing`, async () => {
      const pl = await tab('pl1', lang);
      const ok1 = `C-OK-${lang}`;
      await pl.page.goto(at(lang, '#/master/customers'));
      await pl.page.locator('[data-testid=import-customers] input[type=file]').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(`code,name\n${ok1},Good one\nC-BAD,\n`) });
      await pl.page.locator('[data-action=import]').click();
      const row = pl.page.locator('[data-testid=row-errors] tbody tr');
      await row.first().waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.locator('td').nth(0).textContent()).toBe('3');
      expect(await row.locator('td').nth(1).textContent()).toBe('name');
      expect(await pl.page.locator('[data-testid=import-customers] p.error').textContent()).toBe(lang === 'en' ? 'Nothing was imported: 1 rows have errors.' : '未导入任何数据：1 行有错误。');
      expect((await admin()('GET', `/api/v1/erp/customers/${ok1}`)).status).toBe(404);
    });

  for (const lang of LANGS)
    it(`[${lang}] a lot that was shipped: its genealogy graph backward and forward, and the order message timeline`, async () => {
      const lot = await shippedLot();
      const ad = await tab('admin', lang);
      const p = ad.page;
      await p.goto(at(lang, `#/trace/${encodeURIComponent(lot)}?direction=forward`));
      await p.locator('[data-testid=genealogy] canvas').waitFor();
      await expect.poll(() => p.locator('[data-trace-node=customer]').allTextContents()).toContainEqual(`${lang === 'en' ? 'Sales order' : '销售订单'} ${factory.salesOrder}`);
      await p.locator('[data-direction=backward]').click();
      await expect.poll(() => p.locator('[data-trace-node=lot]').allTextContents()).toContainEqual(expect.stringContaining('L-RAW'));
      expect(await p.locator('[data-trace-node=customer]').count()).toBe(0);
      await p.goto(at(lang, `#/orders/${encodeURIComponent(factory.salesOrder)}`));
      const messages = await ok('GET', `/api/v1/integration/messages?correlationId=${encodeURIComponent(factory.salesOrder)}`);
      await expect.poll(() => p.locator('[data-testid=timeline] li').count()).toBe(messages.length);
      await p.locator('[data-testid=wo-gantt]').waitFor();
      expect(ad.errors).toEqual([]);
    });

  /** Every screen in the user's navigation, opened: none answers 403. */
  async function visitAll(user: string) {
    const tb = await tab(user);
    const screens = await tb.page.locator('nav a[data-screen]').evaluateAll((as) => as.map((a) => a.getAttribute('data-screen')!));
    for (const s of screens) {
      await tb.page.goto(`${url}/#/${s}`);
      await tb.page.locator('h1').first().waitFor();
      await tb.page.waitForTimeout(400);
    }
    return { tb, screens };
  }

  it('a supervisor sees only screens that answer, never a 403', async () => {
    const { tb: sup, screens } = await visitAll('sup1');
    expect(screens).not.toContain('quality');
    expect(screens).not.toContain('orders');
    await sup.page.goto(`${url}/#/master/workCenters`);
    await sup.page.locator('[data-testid=list-workCenters] [data-row=CUT]').waitFor();
    expect(sup.forbidden).toEqual([]);
  });

  it('neither do the planner, the purchaser and the warehouse clerk', async () => {
    for (const [user, has, hasNot] of [
      ['pl1', 'master', 'admin'],
      ['pu1', 'purchasing', 'terminal'],
      ['wh1', 'purchasing', 'planner'],
    ] as const) {
      const { tb, screens } = await visitAll(user);
      expect(screens, user).toContain(has);
      expect(screens, user).not.toContain(hasNot);
      expect(tb.forbidden, user).toEqual([]);
    }
  });

  it('sign-out ends the session on the server', async () => {
    const pl = await tab('pl1');
    const token = await pl.page.evaluate(() => JSON.parse((globalThis as unknown as { sessionStorage: { getItem(k: string): string } }).sessionStorage.getItem('closeloop.session')).token as string);
    expect((await t.as(token)('GET', '/api/v1/auth/me')).status).toBe(200);
    await pl.page.locator('[data-testid=sign-out]').click();
    await pl.page.locator('input[name=username]').waitFor();
    expect((await t.as(token)('GET', '/api/v1/auth/me')).status).toBe(401);
  });
});

describe('purchasing into a second warehouse', { timeout: 60_000 }, () => {
  beforeAll(() => ok('POST', '/api/v1/erp/warehouses', { code: 'WH2', name: 'Second store' }));
  for (const lang of LANGS)
    it(`[${lang}] a purchaser converts a requisition to a purchase order and receives it into WH2; the warehouse clerk sees the receipt`, async () => {
      const lot = `L-PO-${lang}`;
      const req = await ok('POST', '/api/v1/erp/purchase-requisitions', { itemCode: 'RAW', qty: 50 });
      const pu = await tab('pu1', lang);
      const lists: string[] = [];
      const listed = (r: { url(): string }) => /\/api\/v1\/erp\/purchase-(requisitions|orders)(\?|$)/.test(r.url()) && lists.push(r.url());
      pu.page.on('request', listed);
      await pu.page.goto(at(lang, '#/purchasing/requisitions'));
      expect(await pu.page.locator('nav a[data-screen=purchasing]').textContent()).toBe(lang === 'en' ? 'Purchasing' : '采购');
      await pu.page.locator(`[data-testid=requisitions] [data-row="${req.id}"] [data-action=convert]`).click();
      await pu.page.locator('[data-testid=convert] input[name=supplier]').fill('S1');
      await pu.page.locator('[data-testid=convert] button[type=submit]').click();
      await pu.page.waitForURL(/#\/purchasing\/orders\/.+/);
      const po = decodeURIComponent(pu.page.url().split('#/purchasing/orders/')[1]);
      expect((await ok('GET', `/api/v1/erp/purchase-orders/${po}`)).lines[0]).toMatchObject({ itemCode: 'RAW', qty: 50 });
      // the purchaser receives it into WH2 (the issue's path); the warehouse clerk is offered the same receipt
      const form = pu.page.locator('[data-testid=receive-1]');
      await form.locator('input[name=lot]').fill(lot);
      await form.locator('input[name=warehouse]').fill('WH2');
      await form.locator('[data-action=receive]').click();
      await expect.poll(() => pu.page.locator('[data-testid=received-1]').textContent(), { timeout: 10_000 }).toBe('50');
      const wh = await tab('wh1', lang);
      wh.page.on('request', listed);
      await wh.page.goto(at(lang, `#/purchasing/orders/${encodeURIComponent(po)}`));
      await expect.poll(() => wh.page.locator('[data-testid=received-1]').textContent(), { timeout: 10_000 }).toBe('50');
      // the lists are asked a page at a time, never the whole table
      expect(lists.length).toBeGreaterThanOrEqual(2);
      for (const u of lists) expect(new URL(u).searchParams.get('limit'), u).toBe('21');
      expect(pu.forbidden).toEqual([]);
      expect(wh.forbidden).toEqual([]);
      const stock = await ok('GET', '/api/v1/erp/inventory/RAW');
      expect(stock.lots.find((l: { lot: string }) => l.lot === lot)).toMatchObject({ qty: 50, warehouse: 'WH2' });
    });
});

describe('device keys', { timeout: 60_000 }, () => {
  for (const lang of LANGS)
    it(`[${lang}] an admin creates a device key, sees it once, and revokes it`, async () => {
      const name = `press-7-${lang}`;
      const ad = await tab('admin', lang);
      await ad.page.goto(at(lang, '#/admin/keys'));
      await ad.page.locator('[data-testid=new-key-form] input[name=name]').fill(name);
      await ad.page.locator('[data-testid=new-key-form] button[type=submit]').click();
      const key = (await ad.page.locator('[data-testid=new-key] code').textContent())!;
      expect(await ad.page.locator('[data-testid=new-key] strong').textContent()).toBe(lang === 'en' ? 'Copy this key now: it is shown only once.' : '请立即复制此密钥：它只显示一次。');
      // a device key is known (403: not for devices) until it is revoked (401: unknown)
      expect((await t.call('GET', '/api/v1/auth/me', undefined, { 'x-api-key': key })).status).toBe(403);
      expect((await t.as(t.adminToken)('GET', '/api/v1/api-keys')).body.find((k: { name: string }) => k.name === name)).toMatchObject({ roles: ['device'], revokedAt: null });
      await ad.page.locator('[data-action=hide-key]').click();
      expect(await ad.page.locator('[data-testid=new-key]').count()).toBe(0);
      await ad.page.reload();
      expect(await ad.page.content()).not.toContain(key);
      ad.page.once('dialog', (d) => void d.accept());
      await ad.page.locator(`[data-api-key="${name}"] [data-action=revoke]`).click();
      await expect.poll(async () => (await t.call('GET', '/api/v1/auth/me', undefined, { 'x-api-key': key })).status, { timeout: 10_000 }).toBe(401);
    });
});
