import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium driven by playwright-core (never a downloaded browser), for the web tests and `npm run screens`. */
export const root = join(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when a source is newer than it. */
export function ensureBuilt() {
  const index = join(root, 'web/dist/index.html');
  const sources = Math.max(newestMtime(join(root, 'web/src')), statSync(join(root, 'web/index.html')).mtimeMs);
  if (!existsSync(index) || statSync(index).mtimeMs < sources) execSync('npm run build:web', { cwd: root, stdio: 'pipe' });
}

export const launch = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });

/** A page of its own context that records console errors, page errors and every 403 answer. */
export interface Tab {
  page: Page;
  context: BrowserContext;
  errors: string[];
  forbidden: string[];
}

export async function openTab(browser: Browser, lang = 'en', timeout = 10_000): Promise<Tab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.setDefaultNavigationTimeout(timeout);
  const tab: Tab = { page, context, errors: [], forbidden: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') tab.errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => tab.errors.push(`${page.url()}: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() === 403) tab.forbidden.push(`${r.request().method()} ${r.url()}`);
  });
  return tab;
}

export async function signIn(page: Page, base: string, username: string, password: string, query = '') {
  await page.goto(`${base}/${query}`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.locator('.topbar').waitFor();
}
