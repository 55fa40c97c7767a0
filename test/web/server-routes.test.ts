import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLE_PERMISSIONS } from '../../src/platform/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

/** What the web asks first: who am I and what may I do; and the policy its page runs under. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/auth/me', () => {
  it('answers a user its roles, the permissions of the matrix and its data scope', async () => {
    const token = await t.userWith(['supervisor'], { plants: ['p1'] });
    const r = await t.as(token)('GET', '/api/v1/auth/me');
    expect(r.status).toBe(200);
    expect(r.body.roles).toEqual(['supervisor']);
    expect(r.body.permissions).toEqual(PERMISSIONS.filter((p) => ROLE_PERMISSIONS.supervisor.includes(p)));
    expect(r.body.permissions).not.toContain('mes.quality.write');
    expect(r.body.scope).toEqual({ plants: ['p1'], workCenters: [] });
    expect(typeof r.body.username).toBe('string');
  });

  it('answers an admin every permission', async () => {
    const r = await t.as(t.adminToken)('GET', '/api/v1/auth/me');
    expect(r.body).toMatchObject({ username: 'admin', roles: ['admin'], scope: { plants: [], workCenters: [] } });
    expect(r.body.permissions).toEqual(PERMISSIONS);
  });

  it('answers a machine account by its name', async () => {
    const k = await t.as(t.adminToken)('POST', '/api/v1/api-keys', { name: 'line-1-plc', roles: ['integration'], scope: { workCenters: ['CUT'] } });
    expect(k.status).toBe(201);
    const r = await t.call('GET', '/api/v1/auth/me', undefined, { 'x-api-key': k.body.key });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ username: 'line-1-plc', kind: 'machine', roles: ['integration'], scope: { plants: [], workCenters: ['CUT'] } });
    expect(r.body.permissions).toContain('collect.ingest');
  });

  it('answers 401 without a token', async () => {
    expect((await t.call('GET', '/api/v1/auth/me')).status).toBe(401);
  });
});

describe('master-data lists page over the API', () => {
  it('?q= searches code and name, sort and limit/offset page; without them every row as before', async () => {
    const api = t.as(t.adminToken);
    for (const [code, name] of [['PG-A', 'Alpha bolt'], ['PG-B', 'Beta nut'], ['PG-C', 'Gamma bolt'], ['X-1', 'Plain']])
      expect((await api('POST', '/api/v1/erp/items', { code, name, kind: 'raw', uom: 'pcs' })).status).toBe(201);
    const codes = async (url: string) => ((await api('GET', url)).body as { code: string }[]).map((i) => i.code);
    expect(await codes('/api/v1/erp/items?q=bolt')).toEqual(['PG-A', 'PG-C']);
    expect(await codes('/api/v1/erp/items?q=pg-&sort=-code&limit=2')).toEqual(['PG-C', 'PG-B']);
    expect(await codes('/api/v1/erp/items?q=pg-&sort=-code&limit=2&offset=2')).toEqual(['PG-A']);
    expect(await codes('/api/v1/erp/items?q=%25')).toEqual([]);
    expect((await codes('/api/v1/erp/items')).length).toBe(4);
    expect((await api('GET', '/api/v1/erp/items?limit=0')).status).toBe(400);
    for (const [code, name] of [['C-2', 'Zeta'], ['C-1', 'Acme']]) expect((await api('POST', '/api/v1/erp/customers', { code, name })).status).toBe(201);
    expect(await codes('/api/v1/erp/customers?sort=name&limit=1')).toEqual(['C-1']);
    expect(await codes('/api/v1/erp/customers?sort=-name&limit=1')).toEqual(['C-2']);
    for (const [code, name] of [['WC-B', 'Press'], ['WC-A', 'Saw'], ['WC-C', 'Paint']])
      expect((await api('POST', '/api/v1/mes/work-centers', { code, name, costPerHour: 10 })).status).toBe(201);
    expect(await codes('/api/v1/mes/work-centers?q=wc-&sort=name&limit=2')).toEqual(['WC-C', 'WC-B']);
    expect(await codes('/api/v1/mes/work-centers?q=wc-&sort=name&limit=2&offset=2')).toEqual(['WC-A']);
  });
});

describe('purchasing lists page over the API', () => {
  it('requisitions and purchase orders: ?q= searches, sort=id|-id and limit/offset page; a page of orders carries its lines; without them the list as before', async () => {
    const api = t.as(t.adminToken);
    const ok = async (method: string, url: string, body?: unknown) => {
      const r = await api(method, url, body);
      if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    for (const code of ['PU-BOLT', 'PU-NUT']) await ok('POST', '/api/v1/erp/items', { code, name: code, kind: 'raw', uom: 'pcs', standardCost: 1 });
    await ok('POST', '/api/v1/erp/suppliers', { code: 'PU-S1', name: 'Fasteners' });
    const reqs: string[] = [];
    for (const [itemCode, qty] of [['PU-BOLT', 10], ['PU-NUT', 20], ['PU-BOLT', 30]] as const) reqs.push((await ok('POST', '/api/v1/erp/purchase-requisitions', { itemCode, qty })).id);
    const ids = async (url: string) => ((await ok('GET', url)) as { id: string }[]).map((r) => r.id);
    expect(await ids('/api/v1/erp/purchase-requisitions?q=pu-bolt')).toEqual([reqs[0], reqs[2]]);
    expect(await ids('/api/v1/erp/purchase-requisitions?q=pu-&sort=-id&limit=2')).toEqual([reqs[2], reqs[1]]);
    expect(await ids('/api/v1/erp/purchase-requisitions?q=pu-&sort=-id&limit=2&offset=2')).toEqual([reqs[0]]);
    expect(await ids('/api/v1/erp/purchase-requisitions?status=open&limit=1')).toEqual([reqs[0]]);
    const unpaged = await ok('GET', '/api/v1/erp/purchase-requisitions?itemCode=PU-NUT');
    expect(await ok('GET', '/api/v1/erp/purchase-requisitions?itemCode=PU-NUT&limit=5')).toEqual(unpaged);

    const pos: string[] = [];
    for (const r of reqs) pos.push((await ok('POST', `/api/v1/erp/purchase-requisitions/${r}/convert`, { supplier: 'PU-S1', unitCost: 2 })).id);
    expect(await ids('/api/v1/erp/purchase-requisitions?q=pu-&status=open')).toEqual([]);
    expect(await ids('/api/v1/erp/purchase-orders?limit=2')).toEqual([pos[2], pos[1]]);
    expect(await ids('/api/v1/erp/purchase-orders?limit=2&offset=2')).toEqual([pos[0]]);
    expect(await ids('/api/v1/erp/purchase-orders?sort=id&q=pu-s1&limit=1')).toEqual([pos[0]]);
    const [page] = await ok('GET', `/api/v1/erp/purchase-orders?q=${pos[1]}`);
    expect(page).toEqual(await ok('GET', `/api/v1/erp/purchase-orders/${pos[1]}`));
    expect(page.lines).toEqual([{ lineNo: 1, itemCode: 'PU-NUT', qty: 20, receivedQty: 0, unitCost: 2, dueDate: null, requisitionId: reqs[1] }]);
    expect((await api('GET', '/api/v1/erp/purchase-orders?limit=0')).status).toBe(400);
    expect((await api('GET', '/api/v1/erp/purchase-orders?sort=supplier')).status).toBe(400);
  });
});

describe('the web app page', () => {
  it('is served with a Content Security Policy that allows no inline script', async () => {
    const r = await t.call('GET', '/');
    expect(r.status).toBe(200);
    const csp = String(r.headers['content-security-policy'] ?? '');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
