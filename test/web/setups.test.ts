import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { ensureBuilt, launch, openTab, signIn, type Tab } from './browser.ts';

/**
 * Setups in the web app (Debian's Chromium): a planner's master data gives a routing operation its
 * setup family and a work centre its changeover matrix; a pair named twice shows the API's error.
 */
let t: TestApp;
let url: string;
let browser: Browser;
const tabs: Tab[] = [];
const LANGS = ['en', 'zh-CN'] as const;

async function ok(method: string, path: string, body?: unknown) {
  const r = await t.as(t.adminToken)(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  ensureBuilt();
  t = await startTestApp();
  url = (await t.app.listen()).replace(/\/$/, '');
  browser = await launch();
  for (const lang of LANGS) {
    await ok('POST', '/api/v1/mes/work-centers', { code: `WS-PRESS-${lang}`, name: 'Press', costPerHour: 40 });
    await ok('POST', '/api/v1/erp/items', { code: `WS-RED-${lang}`, name: 'Red panel', kind: 'finished', uom: 'pcs', standardCost: 4 });
  }
  await t.settle();
}, 120_000);

afterAll(async () => {
  for (const x of tabs) await x.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe('setups in the master data', { timeout: 60_000 }, () => {
  for (const lang of LANGS)
    it(`[${lang}] a work centre's changeovers are entered and saved; a pair twice is refused with the API's words`, async () => {
      const tb = await openTab(browser, lang);
      tabs.push(tb);
      await signIn(tb.page, url, 'admin', ADMIN_PASSWORD, `${lang === 'en' ? '' : `?lang=${lang}`}#/master/workCenters`);
      const p = tb.page;
      const press = `WS-PRESS-${lang}`;
      const item = `WS-RED-${lang}`;
      await p.locator(`[data-setups="${press}"]`).click();
      const box = p.locator('[data-testid=setups]');
      expect(await p.locator('.card h2, .card h3').filter({ hasText: lang === 'en' ? 'Changeovers' : '换型矩阵' }).count()).toBeGreaterThan(0);
      for (const [k, [from, to, minutes]] of ([['RED', 'BLUE', '30'], ['BLUE', 'RED', '45'], ['RED', 'BLUE', '10']] as const).entries()) {
        await box.locator('[data-action=add-setup]').click();
        await box.locator(`input[name="setupMatrix.${k}.from"]`).fill(from);
        await box.locator(`input[name="setupMatrix.${k}.to"]`).fill(to);
        await box.locator(`input[name="setupMatrix.${k}.minutes"]`).fill(minutes);
      }
      await box.locator('[data-action=save-setups]').click();
      await expect.poll(() => box.locator('.field-error, .error').first().textContent()).toContain('RED → BLUE');
      expect((await ok('GET', `/api/v1/mes/work-centers/${press}`)).setupMatrix).toEqual([]);
      await box.locator('fieldset').nth(2).locator('button').click();
      await box.locator('[data-action=save-setups]').click();
      await expect.poll(async () => (await ok('GET', `/api/v1/mes/work-centers/${press}`)).setupMatrix).toEqual([{ from: 'RED', to: 'BLUE', minutes: 30 }, { from: 'BLUE', to: 'RED', minutes: 45 }]);
      // a routing operation's setup family, in the routing editor
      await p.goto(`${url}/${lang === 'en' ? '' : `?lang=${lang}`}#/master/items/${item}`);
      const editor = p.locator('[data-testid=routing-editor]');
      await editor.locator('[data-action=add-operation]').click();
      await editor.locator('input[name="operations.0.name"]').fill('Paint');
      await editor.locator('input[name="operations.0.workCenter"]').fill(press);
      await editor.locator('input[name="operations.0.setupFamily"]').fill('RED');
      await editor.locator('[data-action=save-routing]').click();
      await editor.locator('[data-testid=routing-saved]').waitFor();
      expect((await ok('GET', `/api/v1/mes/routings/${item}`)).operations[0]).toMatchObject({ workCenter: press, setupFamily: 'RED' });
      // the browser logs the refused save (422) and the item's missing routing before the first save (404), nothing else
      expect(tb.errors.filter((e) => !/status of (422|404)/.test(e))).toEqual([]);
    });
});
