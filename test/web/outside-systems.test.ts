import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { ok, wheelShop } from '../support/factory.ts';
import { kingdeeSystem, productionOrder } from '../support/kingdee.ts';
import { ensureBuilt, launch, openTab, signIn, type Tab } from './browser.ts';

/**
 * The Integration screen's outside systems, in Debian's Chromium: the Kingdee system of
 * docs/integration.md with its feed cursor, its code maps and mappings, and a mapping's dry run on
 * a pasted sample that names an unmapped code — in English and in zh-CN.
 */
let t: TestApp;
let url: string;
let browser: Browser;
const tabs: Tab[] = [];

beforeAll(async () => {
  ensureBuilt();
  t = await startTestApp();
  url = (await t.app.listen()).replace(/\/$/, '');
  const admin = t.as(t.adminToken);
  [browser] = await Promise.all([launch(), wheelShop(admin).then(() => t.settle())]);
  await kingdeeSystem(admin);
  // two production orders in: the feed has their work_order.planned events
  for (const bill of ['MO-WEB-1', 'MO-WEB-2']) await ok(admin('POST', '/api/v1/integration/systems/KD/inbound/production-order', productionOrder(bill)), 202);
  await t.settle();
}, 120_000);

afterAll(async () => {
  for (const x of tabs) await x.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe('web: outside systems on the Integration screen', () => {
  for (const lang of ['en', 'zh-CN'] as const)
    it(`lists the system with its feed, shows its code maps and mappings, and dry-runs a pasted sample (${lang})`, async () => {
      const tb = await openTab(browser, lang);
      tabs.push(tb);
      const p = tb.page;
      const q = lang === 'en' ? '' : `?lang=${lang}`;
      await signIn(p, url, 'admin', ADMIN_PASSWORD, q);
      await p.goto(`${url}/${q}#/integration`);
      const row = p.locator('[data-testid=outside-systems] tbody tr', { hasText: 'KD' });
      await row.waitFor();
      const feed = (await t.as(t.adminToken)('GET', '/api/v1/integration/feed/status')).body.find((s: { system: string }) => s.system === 'KD');
      expect(feed.lastCursor).toBeGreaterThanOrEqual(2);
      // the feed's status comes with its own request, after the list of systems
      await expect.poll(() => row.locator('td').nth(5).innerText(), { timeout: 5_000 }).toBe(String(feed.lastCursor));
      await row.click();
      await p.locator('table tr', { hasText: 'BOX50' }).waitFor();
      expect((await p.locator('table tr', { hasText: 'BOX50' }).innerText()).replace(/\s+/g, ' ')).toContain('BOX50 pcs 50');
      await p.locator('li', { hasText: 'production-order' }).waitFor();

      const form = p.locator('[data-testid=dry-run]');
      await form.locator('input[name=mapping]').fill('production-order');
      await form.locator('textarea[name=sample]').fill(JSON.stringify(productionOrder('MO-DRY-WEB', { FMaterialId: { FNumber: '07.00.0001' } })));
      await form.locator('button[type=submit]').click();
      await form.locator('li', { hasText: '07.00.0001' }).waitFor();
      expect(await form.locator('li', { hasText: '07.00.0001' }).innerText()).toContain('item');
      expect(await form.locator('pre').first().innerText()).toContain('"externalRef": "MO-DRY-WEB-1"');
      // a sample that is not JSON is refused in the form, naming the problem
      await form.locator('textarea[name=sample]').fill('{"Model": ');
      await form.locator('button[type=submit]').click();
      await form.locator('.error').waitFor();
      // the dry run changed nothing
      expect((await t.as(t.adminToken)('GET', '/api/v1/mes/work-orders?externalRef=MO-DRY-WEB-1')).body).toEqual([]);
      expect(tb.errors.filter((e) => !e.includes('400'))).toEqual([]);
      expect(tb.forbidden).toEqual([]);
    }, 60_000);
});
