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
