import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { ok, orderWheels, wheelShop } from '../support/factory.ts';
import { ensureBuilt, launch, openTab, signIn, type Tab } from './browser.ts';

/**
 * The planner board shows what automatic replanning moved and why (Debian's Chromium): a work centre
 * goes down, the server replans around it, and the board's Replans card names the reason and the
 * moves, lists the moved operations when expanded, and the Gantt outlines them.
 */
let t: TestApp;
let admin: TestApp['call'];
let url: string;
let browser: Browser;
const tabs: Tab[] = [];
const LANGS = ['en', 'zh-CN'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replan {
  at: string;
  reasons: string[];
  status: string;
  moved: { id: string; from: string | null; to: string }[];
}
let breakdown: Replan;

/** Waits (bounded: 30 s) for a replan whose reasons match `pattern`. */
async function replanFor(pattern: RegExp): Promise<Replan> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    await t.settle();
    const found = ((await ok(admin('GET', '/api/v1/planning/replans'))).replans as Replan[]).find((r) => r.reasons.some((x) => pattern.test(x)));
    if (found) return found;
    await sleep(100);
  }
  throw new Error(`no replan for ${pattern} within 30 s`);
}

beforeAll(async () => {
  ensureBuilt();
  t = await startTestApp({ config: { replanOnEvents: true, replanDownThresholdMs: 300, replanDebounceMs: 300, replanFrozenHours: 0, replanTimeLimitSeconds: 0.2, replanAssumedDownHours: 72 } });
  admin = t.as(t.adminToken);
  url = (await t.app.listen()).replace(/\/$/, '');
  browser = await launch();
  await wheelShop(admin);
  for (const qty of [12, 8, 20]) await orderWheels(admin, qty, 10);
  await t.settle();
  await replanFor(/released/); // the orders are planned once released
  await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'LACING', state: 'down', reason: 'motor' }), 201);
  breakdown = await replanFor(/^LACING down since/);
  expect(breakdown.status).toBe('done');
  expect(breakdown.moved.length).toBeGreaterThan(0);
}, 120_000);

afterAll(async () => {
  for (const x of tabs) await x.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

/**
 * Moves the mouse along the LACING row of the Gantt (the second of two centres, ASSEMBLY first)
 * until a bar's tooltip says a replan moved it; answers that tooltip's text, or null.
 */
async function movedTooltip(p: Page, says: string): Promise<string | null> {
  const gantt = p.locator('[data-testid=gantt]');
  const box = (await gantt.boundingBox())!;
  // grid: 16 px above, 64 below (Planner.tsx); two rows, LACING the lower one
  const y = box.y + 16 + ((box.height - 16 - 64) * 3) / 4;
  for (let x = box.x + 92; x < box.x + box.width - 24; x += 3) {
    await p.mouse.move(x, y);
    const text = await gantt.innerText();
    if (text.includes(says)) return text;
  }
  return null;
}

describe('automatic replans on the planner board', { timeout: 60_000 }, () => {
  for (const lang of LANGS)
    it(`[${lang}] the Replans card shows the breakdown, what it moved, and the Gantt outlines the moved operations`, async () => {
      const en = lang === 'en';
      const tb = await openTab(browser, lang);
      tabs.push(tb);
      const p = tb.page;
      await signIn(p, url, 'admin', ADMIN_PASSWORD, `${en ? '' : `?lang=${lang}`}#/planner`);
      const card = p.locator('[data-testid=replans]');
      await card.locator('table').waitFor();
      expect(await p.locator('.card h2').filter({ hasText: en ? 'Replans' : '自动重排' }).count()).toBe(1);
      expect(await card.getAttribute('data-enabled')).toBe('true');
      expect(await p.locator('.card-actions').filter({ hasText: en ? 'Automatic replanning is on' : '自动重排已开启' }).count()).toBe(1);

      const row = card.locator(`tr[data-replan="${breakdown.at}"]`);
      const reason = row.locator('li[data-reason^="LACING down since"]');
      expect(await reason.getAttribute('title')).toBe(breakdown.reasons.find((r) => r.startsWith('LACING down since')));
      expect(await reason.innerText()).toMatch(en ? /^LACING down since \S/ : /^LACING 自 .+ 停机$/);
      const n = breakdown.moved.length;
      expect(await row.locator('td[data-moved]').getAttribute('data-moved')).toBe(String(n));
      expect(await row.locator('td[data-moved]').innerText()).toBe(en ? `${n} operation${n === 1 ? '' : 's'} moved` : `调整了 ${n} 道工序`);

      // expanding lists the moved operations, from → to
      const first = breakdown.moved[0];
      await row.locator('[data-action=toggle-moves]').click();
      const move = card.locator(`tr[data-op="${first.id}"]`);
      await move.waitFor();
      expect(await move.innerText()).toContain('→');
      expect(await card.locator('tr.replan-moves tr[data-op]').count()).toBe(Math.min(n, 50));
      await row.locator('[data-action=toggle-moves]').click();
      expect(await card.locator('tr.replan-moves').count()).toBe(0);

      // the Gantt outlines what the latest replan moved, and its tooltip says when and why
      await p.locator('[data-testid=gantt] canvas').waitFor();
      const legend = p.locator('[data-testid=gantt-moved]');
      await legend.waitFor();
      expect((await legend.getAttribute('data-ops'))!.split(' ').sort()).toEqual(breakdown.moved.map((m) => m.id).sort());
      expect(await legend.innerText()).toContain(en ? `${n} operation` : `${n} 道工序`);
      const tip = await movedTooltip(p, en ? 'Moved by replan at' : '自动重排调整');
      expect(tip, 'no bar on the LACING row says it was moved by the replan').not.toBeNull();
      expect(tip).toContain(en ? 'LACING down since' : 'LACING 自');
      expect(tb.errors).toEqual([]);
    });

  // last: a manual reschedule may move the outlined operations again (the board then outlines only what is still where the replan put it)
  it('Reschedule asks for the replans again', async () => {
    const p = tabs[0].page;
    const asked = p.waitForRequest((r) => r.url().endsWith('/api/v1/planning/replans'), { timeout: 20_000 });
    await p.locator('[data-testid=reschedule]').click();
    await asked;
    await expect.poll(() => p.locator('[data-testid=reschedule]').isEnabled(), { timeout: 20_000 }).toBe(true);
    expect(tabs[0].errors).toEqual([]);
  });
});
