import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { raiseAlert } from '../../src/platform/alerts/index.ts';
import { systemActor } from '../../src/platform/index.ts';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { ensureBuilt, launch, openTab, signIn, type Tab } from './browser.ts';

/**
 * The sales-order list of the Orders screen and the Alerts screen in Debian's Chromium: each asks
 * the server for one page at a time (search, sort, the filters, next page), never the whole table.
 */
let t: TestApp;
let url: string;
let browser: Browser;
const tabs: Tab[] = [];
const so: string[] = [];
const alerts: number[] = [];
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
/** Order i is due in 10 + (i × 7 mod 25) days: due-date order is not id order. */
const dueIn = (i: number) => 10 + ((i * 7) % 25);

async function ok(method: string, path: string, body?: unknown) {
  const r = await t.as(t.adminToken)(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  ensureBuilt();
  t = await startTestApp({ handlersOf: ['erp'] });
  url = (await t.app.listen()).replace(/\/$/, '');
  browser = await launch();
  await ok('POST', '/api/v1/erp/items', { code: 'LS-FG', name: 'Bracket', kind: 'finished', uom: 'pcs', standardCost: 20 });
  await ok('POST', '/api/v1/erp/customers', { code: 'LS-ACME', name: 'Acme' });
  await ok('POST', '/api/v1/erp/customers', { code: 'LS-BOLT', name: 'Boltworks' });
  for (let i = 0; i < 25; i++) so.push((await ok('POST', '/api/v1/erp/sales-orders', { customer: i % 2 ? 'LS-BOLT' : 'LS-ACME', lines: [{ itemCode: 'LS-FG', qty: 1 + i, dueDate: day(dueIn(i)) }] })).id);
  await ok('POST', `/api/v1/erp/sales-orders/${so[3]}/cancel`, {});
  for (let i = 0; i < 23; i++)
    alerts.push((await t.app.db.unitOfWork({ actor: systemActor, module: 'erp' }, (uow) =>
      raiseAlert(uow, i % 3 ? { kind: 'shortage', severity: 'warning', ref: `LS-RAW-${i}`, message: `Short of LS-RAW-${i}` } : { kind: 'reorder', severity: 'info', ref: `LS-BUY-${i}`, message: `Reorder LS-BUY-${i}` })))!);
  await ok('POST', `/api/v1/alerts/${alerts[1]}/ack`, {});
}, 120_000);

afterAll(async () => {
  for (const x of tabs) await x.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

/** An admin's tab that records every list request to `pattern` from before it signs in at `hash`. */
async function signedIn(hash: string, pattern: RegExp, lang = 'en') {
  const tb = await openTab(browser, lang);
  tabs.push(tb);
  const lists: string[] = [];
  tb.page.on('request', (r) => r.method() === 'GET' && pattern.test(r.url()) && lists.push(r.url()));
  await signIn(tb.page, url, 'admin', ADMIN_PASSWORD, `${lang === 'en' ? '' : `?lang=${lang}`}${hash}`);
  return { tb, lists };
}
const rows = (p: Page, list: string) => p.locator(`[data-testid=${list}] tbody tr`).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')));
const range = (from: number, to: number) => Array.from({ length: Math.abs(to - from) + 1 }, (_, k) => (from > to ? from - k : from + k));

describe('lists a page at a time in the web app', { timeout: 60_000 }, () => {
  it('the sales orders: newest first, the next page, a search by customer, sorted by due date, the status filter', async () => {
    const { tb, lists } = await signedIn('#/orders', /\/api\/v1\/erp\/sales-orders(\?|$)/);
    const p = tb.page;
    await expect.poll(() => rows(p, 'sales-orders')).toEqual(range(24, 5).map((i) => so[i]));
    await p.locator('.pager button').nth(1).click();
    await expect.poll(() => rows(p, 'sales-orders')).toEqual(range(4, 0).map((i) => so[i]));
    await p.locator('[data-testid=sales-orders] input[name=search]').fill('boltworks');
    await expect.poll(() => rows(p, 'sales-orders')).toEqual(range(23, 1).filter((i) => i % 2).map((i) => so[i]));
    await p.locator('[data-testid=sales-orders] th button').nth(1).click();
    const byDue = range(0, 24).filter((i) => i % 2).sort((a, b) => dueIn(a) - dueIn(b) || a - b);
    await expect.poll(() => rows(p, 'sales-orders')).toEqual(byDue.map((i) => so[i]));
    expect(await p.locator(`[data-testid=sales-orders] [data-row="${so[byDue[0]]}"] td`).nth(4).textContent()).not.toBe('—');
    await p.locator('select[name=status]').selectOption('cancelled');
    await expect.poll(() => rows(p, 'sales-orders')).toEqual([so[3]]);
    await p.locator(`[data-testid=sales-orders] [data-row="${so[3]}"] a`).click();
    await p.waitForURL(new RegExp(`#/orders/${so[3]}$`));

    expect(lists.length).toBeGreaterThanOrEqual(5);
    for (const u of lists) expect(new URL(u).searchParams.get('limit'), u).toBe('21');
    expect(lists.map((u) => new URL(u).searchParams.get('offset'))).toContain('20');
    expect(lists.at(-1)).toMatch(/status=cancelled/);
    expect(lists.at(-1)).toMatch(/sort=dueDate/);
    expect(tb.errors).toEqual([]);
  });

  it('the alerts, in zh-CN: open ones newest first, the next page, one kind, all of them, a search, acknowledged in the list', async () => {
    const { tb, lists } = await signedIn('#/alerts', /\/api\/v1\/alerts(\?|$)/, 'zh-CN');
    const p = tb.page;
    const open = range(22, 0).filter((i) => i !== 1);
    await expect.poll(() => rows(p, 'alerts')).toEqual(open.slice(0, 20).map((i) => String(alerts[i])));
    await p.locator('.pager button').nth(1).click();
    await expect.poll(() => rows(p, 'alerts')).toEqual(open.slice(20).map((i) => String(alerts[i])));
    await p.locator('select[name=kind]').selectOption('reorder');
    await expect.poll(() => rows(p, 'alerts')).toEqual(open.filter((i) => i % 3 === 0).map((i) => String(alerts[i])));
    expect(await p.locator('[data-testid=alerts] [data-alert-message]').first().textContent()).toBe('Reorder LS-BUY-21');
    await p.locator('select[name=kind]').selectOption('');
    await p.locator('input[name=openOnly]').uncheck();
    await p.locator('[data-testid=alerts] input[name=search]').fill('LS-RAW-1');
    // LS-RAW-1, 10..19 (no 12, 15, 18: reorders LS-BUY-…), newest first; the acknowledged one too
    const found = [19, 17, 16, 14, 13, 11, 10, 1];
    await expect.poll(() => rows(p, 'alerts')).toEqual(found.map((i) => String(alerts[i])));
    await p.locator(`[data-testid=alerts] [data-row="${alerts[19]}"] [data-action=ack]`).click();
    await expect.poll(() => p.locator(`[data-testid=alerts] [data-row="${alerts[19]}"] [data-action=ack]`).count()).toBe(0);
    expect((await ok('GET', '/api/v1/alerts?open=false&q=LS-RAW-19')).map((a: { id: number }) => a.id)).toEqual([alerts[19]]);

    expect(lists.length).toBeGreaterThanOrEqual(5);
    for (const u of lists) expect(new URL(u).searchParams.get('limit'), u).toBe('21');
    expect(lists.map((u) => new URL(u).searchParams.get('offset'))).toContain('20');
    expect(lists.some((u) => /kind=reorder/.test(u) && /open=true/.test(u))).toBe(true);
    expect(lists.at(-1)).not.toMatch(/open=/);
    expect(tb.errors).toEqual([]);
  });

  it('the cockpit, quality, planner and terminal screens ask for bounded lists or server counts, never a whole table', async () => {
    const { tb, lists } = await signedIn('#/cockpit', /\/api\/v1\/(mes\/work-orders|alerts|erp\/sales-orders|cockpit\/board)(\?|$)/);
    const p = tb.page;
    // the cockpit's chunks load first: on a loaded machine that takes more than poll's default second
    await expect.poll(() => lists.some((u) => u.includes('/cockpit/board')), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => lists.some((u) => u.includes('/api/v1/alerts')), { timeout: 10_000 }).toBe(true);
    // each screen's own list (the terminal shares the planner's open work orders)
    for (const [hash, asks] of [['#/quality', /work-orders\?status=completed/], ['#/planner', /work-orders\?open=true/], ['#/terminal', /work-orders\?open=true/]] as const) {
      await p.goto(`${url}/${hash}`);
      await expect.poll(() => lists.some((u) => asks.test(u)), { message: hash, timeout: 10_000 }).toBe(true);
    }
    const unbounded = lists.filter((u) => {
      const q = new URL(u).searchParams;
      if (u.includes('/cockpit/board')) return false;
      return !q.get('limit') && q.get('open') !== 'true' && !q.get('salesOrder');
    });
    expect(unbounded).toEqual([]);
    // the work orders and alerts asked for open ones or a page; the sales-order list is not read by these screens
    expect(lists.some((u) => /mes\/work-orders\?.*status=completed/.test(u) && /limit=20/.test(u))).toBe(true);
    expect(lists.filter((u) => u.includes('/erp/sales-orders'))).toEqual([]);
    expect(tb.errors).toEqual([]);
  });
});
