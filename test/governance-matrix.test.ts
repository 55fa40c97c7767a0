import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertInScope,
  can,
  filterInScope,
  inScope,
  isUnscoped,
  listsAdmit,
  PERMISSIONS,
  renderPermissionsDoc,
  ROLE_PERMISSIONS,
  ROLES,
  scopeParams,
  unrestricted,
} from '../src/platform/auth/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const db = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';

describe('the permission matrix', () => {
  it('is what docs/permissions.md shows', () => {
    const path = new URL('../docs/permissions.md', import.meta.url);
    const doc = renderPermissionsDoc();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(path, doc);
    expect(readFileSync(path, 'utf8'), 'docs/permissions.md is stale: UPDATE_DOCS=1 npx vitest run test/governance-matrix').toBe(doc);
  });

  it('gives the roles what the contract says they are for', () => {
    expect(ROLE_PERMISSIONS.admin).toEqual(PERMISSIONS);
    // a manager reads all (the audit log included) and changes nothing
    for (const p of PERMISSIONS.filter((p) => p.endsWith('.read'))) expect(can(['manager'], p), p).toBe(true);
    expect(ROLE_PERMISSIONS.manager.filter((p) => !p.endsWith('.read') && !['auth.self', 'alerts.ack'].includes(p))).toEqual([]);
    // only admins and managers read the audit log
    expect(ROLES.filter((r) => can([r], 'audit.read'))).toEqual(['admin', 'manager']);
    // machine accounts: connectors get ingest and integration routes; devices shop-floor data only
    expect(ROLE_PERMISSIONS.integration.every((p) => p.startsWith('collect.') || p.startsWith('integration.') || p === 'auth.self')).toBe(true);
    expect(ROLE_PERMISSIONS.device).toEqual(['collect.ingest', 'mes.equipment.write']);
    // stock imports need an inventory permission: only the roles that receive stock
    expect(ROLES.filter((r) => can([r], 'erp.inventory.write'))).toEqual(['admin', 'warehouse']);
    expect(can(['planner'], 'erp.sales.write') && can(['planner'], 'planning.mrp')).toBe(true);
    // process planning: the planner keeps routings and work centres (the supervisor too, for the shop's calendars)
    expect(ROLES.filter((r) => can([r], 'mes.master.write'))).toEqual(['admin', 'planner', 'supervisor']);
    expect(can(['purchaser'], 'erp.purchasing.write')).toBe(true);
    // the purchaser receives against its purchase orders (and the store too), but moves no other stock
    expect(ROLES.filter((r) => can([r], 'erp.purchasing.receive'))).toEqual(['admin', 'purchaser', 'warehouse']);
    expect(can(['purchaser'], 'erp.inventory.write')).toBe(false);
    expect(can(['warehouse'], 'erp.purchasing.read') && !can(['warehouse'], 'erp.purchasing.write')).toBe(true);
    expect(can(['warehouse'], 'erp.inventory.write') && can(['warehouse'], 'erp.sales.ship')).toBe(true);
    expect(can(['finance'], 'erp.cost.read') && !can(['finance'], 'erp.sales.write')).toBe(true);
    expect(can(['supervisor'], 'planning.write') && can(['supervisor'], 'mes.master.write')).toBe(true);
    expect(can(['operator'], 'mes.execute') && !can(['operator'], 'mes.master.write') && !can(['operator'], 'erp.master.read')).toBe(true);
    expect(can(['inspector'], 'mes.quality.write') && !can(['inspector'], 'mes.execute')).toBe(true);
    expect(ROLES.filter((r) => can([r], 'users.manage') || can([r], 'alerts.manage'))).toEqual(['admin']);
    // several roles: the union
    expect(can(['operator', 'inspector'], 'mes.quality.write') && can(['operator', 'inspector'], 'mes.execute')).toBe(true);
    expect(can(['nobody'], 'alerts.read')).toBe(false);
  });
});

describe('data scope helpers', () => {
  const wc = { scope: { workCenters: ['WC1', 'WC2'] } };
  const plant = { scope: { plants: ['P1'] } };
  it('lets an unscoped actor see everything and a scoped one only what names a value in its lists', () => {
    expect(isUnscoped({})).toBe(true);
    expect(isUnscoped({ scope: { plants: [], workCenters: [] } })).toBe(true);
    expect(inScope({}, { plant: 'P9', workCenter: 'WC9' })).toBe(true);
    expect(inScope(wc, { workCenter: 'WC1' })).toBe(true);
    expect(inScope(wc, { plant: 'P1', workCenter: 'WC3' })).toBe(false);
    expect(inScope(wc, { plant: 'P1' })).toBe(false); // no work centre named: outside a work-centre scope
    expect(inScope(plant, { plant: 'P1', workCenter: 'WC9' })).toBe(true);
    expect(inScope(plant, { plant: 'P2', workCenter: 'WC1' })).toBe(false);
    expect(inScope({ scope: { plants: ['P1'], workCenters: ['WC1'] } }, { plant: 'P1', workCenter: 'WC2' })).toBe(false);
    expect(() => assertInScope(wc, { workCenter: 'WC3' }, 'operation 7')).toThrow(/operation 7 is outside your data scope/);
    try {
      assertInScope(wc, { workCenter: 'WC3' });
    } catch (e: any) {
      expect(e.status).toBe(403);
    }
    expect(scopeParams(wc)).toEqual({ plants: null, workCenters: ['WC1', 'WC2'] });
    expect(scopeParams({})).toEqual({ plants: null, workCenters: null });
    expect(filterInScope(wc, [{ w: 'WC1' }, { w: 'WC3' }], (x) => ({ workCenter: x.w }))).toEqual([{ w: 'WC1' }]);
    // a work order spans work centres: inside a work-centre scope when any of them is
    expect(inScope(wc, { workCenters: ['WC3', 'WC2'] })).toBe(true);
    expect(inScope(wc, { workCenters: ['WC3'] })).toBe(false);
    expect(inScope(wc, { workCenters: [] })).toBe(false);
    expect(inScope(plant, { plant: null, workCenter: 'WC1' })).toBe(false); // no plant named: outside a plant scope
    expect(unrestricted(scopeParams({ scope: { plants: [] } }))).toBe(true);
    expect(listsAdmit(scopeParams(wc), { workCenter: 'WC2', plant: 'P7' })).toBe(true);
    expect(listsAdmit(scopeParams(plant), { workCenter: 'WC2', plant: 'P7' })).toBe(false);
  });
});

describe(`every route × every role against the matrix (${db})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    // users with one role each (no password: the walk signs their tokens directly)
    await t.app.db.query(`insert into platform.users (username, password_hash, roles) select 'walk_' || r, '!', array[r] from unnest($1::text[]) r`, [
      ROLES,
    ]);
  });
  afterAll(() => t?.close());

  it('answers 403 exactly when the role lacks the route’s permission', async () => {
    const routes = t.app.routes.filter((r) => r.permission !== 'public');
    expect(routes.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z_]+/g, '999999');
      await Promise.all(
        ROLES.map(async (role) => {
          const allowed = can([role], route.permission as (typeof PERMISSIONS)[number]);
          if (allowed && route.url === '/api/v1/events') return; // an endless event stream: checked below
          const { token } = await t.app.tokens.issue(`walk_${role}`, [role], {});
          const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) ? {} : undefined;
          const r = await t.as(token)(route.method, url, body);
          checked++;
          if (r.status === 401) wrong.push(`${route.method} ${route.url} as ${role}: 401`);
          else if ((r.status === 403) !== !allowed || (!allowed && r.body?.error?.code !== 'forbidden'))
            wrong.push(`${route.method} ${route.url} (${route.permission}) as ${role}: ${r.status}, expected ${allowed ? 'not 403' : '403'}`);
        }),
      );
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(routes.length * 5);
  }, 120_000); // every route × every role: over a minute on a loaded machine

  it('opens the event stream for the roles that may read it', async () => {
    expect(t.app.routes.find((r) => r.url === '/api/v1/events')?.permission).toBe('events.read');
    const address = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const { token } = await t.app.tokens.issue('walk_operator', ['operator'], {});
    const ac = new AbortController();
    const res = await fetch(`${address}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    ac.abort();
    await res.body?.cancel().catch(() => undefined);
  });
});
