import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformServices } from '../src/platform/routes.ts';
import { ok, wheelShop } from './support/factory.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const db = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';
let t: TestApp;
let admin: TestApp['call'];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
});
afterAll(() => t?.close());

const withKey = (key: string): TestApp['call'] => (m, u, b, h = {}) => t.call(m, u, b, { 'x-api-key': key, ...h });

describe(`machine accounts (${db})`, () => {
  it('a new key is a device: shop-floor data in its scope, no work orders, no messages', async () => {
    const created = await admin('POST', '/api/v1/api-keys', { name: 'press gateway', scope: { workCenters: ['LACING'] } });
    expect(created.status).toBe(201);
    expect(created.body.roles).toEqual(['device']);
    const device = withKey(created.body.key);
    const batch = await device('POST', '/api/v1/collect/batch', [
      { workCenter: 'LACING', kind: 'telemetry', payload: { powerKw: 2 } },
      { workCenter: 'ASSEMBLY', kind: 'telemetry', payload: { powerKw: 2 } },
    ]);
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r: { accepted: boolean }) => r.accepted)).toEqual([true, false]);
    expect((await device('POST', '/api/v1/mes/equipment-events', { workCenter: 'LACING', state: 'running' })).status).toBe(201);
    const outside = await device('POST', '/api/v1/mes/equipment-events', { workCenter: 'ASSEMBLY', state: 'down' });
    expect(outside.status).toBe(403);
    // work orders come in through B2MML (integration.write): not for a device
    const wo = await device('POST', '/api/v1/integration/b2mml', '<ProcessOperationsSchedule/>', { 'content-type': 'application/xml' });
    expect(wo.status).toBe(403);
    expect(wo.body.error).toEqual({ code: 'forbidden', message: 'integration.write is needed', details: { permission: 'integration.write' } });
    expect((await device('GET', '/api/v1/mes/work-orders')).status).toBe(403);
    expect((await device('GET', '/api/v1/integration/messages')).status).toBe(403);
    expect((await device('POST', '/api/v1/integration/dead-letters/1/replay')).status).toBe(403);
  });

  it('lists keys without the key, and a revoked key answers 401 on its next call', async () => {
    const created = await admin('POST', '/api/v1/api-keys', { name: 'old gateway' });
    const device = withKey(created.body.key);
    expect((await device('POST', '/api/v1/collect/batch', [{ workCenter: 'LACING', kind: 'telemetry', payload: { powerKw: 1 } }])).status).toBe(200);
    const listed = await admin('GET', '/api/v1/api-keys');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect(listed.body.find((k: { id: string }) => k.id === created.body.id)).toEqual({
      id: created.body.id,
      name: 'old gateway',
      roles: ['device'],
      scope: {},
      createdAt: expect.any(String),
      revokedAt: null,
    });
    const revoked = await admin('DELETE', `/api/v1/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(Date.parse(revoked.body.revokedAt)).toBeGreaterThan(0);
    const after = await device('POST', '/api/v1/collect/batch', [{ workCenter: 'LACING', kind: 'telemetry', payload: { powerKw: 1 } }]);
    expect(after.status).toBe(401);
    expect((await admin('DELETE', '/api/v1/api-keys/key_nothere')).status).toBe(404);
    const [audit] = await t.app.db.query<{ action: string; actor: string }>(`select action, actor from platform.audit_log where entity = 'api_key' and ref = $1 and action = 'revoke'`, [created.body.id]);
    expect(audit).toEqual({ action: 'revoke', actor: 'user:admin' });
  });
});

describe(`users changed by an admin (${db})`, () => {
  it('a disabled user gets 401 on the next request, and cannot sign in', async () => {
    await ok(admin('POST', '/api/v1/users', { username: 'dora', password: 'password-123', roles: ['planner'] }), 201);
    const token = await t.login('dora', 'password-123');
    expect((await t.as(token)('GET', '/api/v1/erp/items/RIM')).status).toBe(200);
    const patched = await admin('PATCH', '/api/v1/users/dora', { disabled: true });
    expect(patched.body).toEqual({ username: 'dora', roles: ['planner'], scope: {}, disabled: true });
    expect((await t.as(token)('GET', '/api/v1/erp/items/RIM')).status).toBe(401);
    expect((await t.call('POST', '/api/v1/auth/login', { username: 'dora', password: 'password-123' })).status).toBe(401);
    await ok(admin('PATCH', '/api/v1/users/dora', { disabled: false }));
    expect((await t.as(token)('GET', '/api/v1/erp/items/RIM')).status).toBe(401); // tokens from before stay dead
    expect((await admin('PATCH', '/api/v1/users/nobody', { disabled: true })).status).toBe(404);
  });

  it('changed roles and scope apply on the next request with the same token', async () => {
    await ok(admin('POST', '/api/v1/users', { username: 'otto', password: 'password-123', roles: ['operator'] }), 201);
    const otto = t.as(await t.login('otto', 'password-123'));
    expect((await otto('GET', '/api/v1/erp/items/RIM')).status).toBe(403);
    expect((await otto('POST', '/api/v1/mes/equipment-events', { workCenter: 'ASSEMBLY', state: 'idle' })).status).toBe(201);
    await ok(admin('PATCH', '/api/v1/users/otto', { roles: ['operator', 'planner'], scope: { workCenters: ['LACING'] } }));
    expect((await otto('GET', '/api/v1/erp/items/RIM')).status).toBe(200);
    expect((await otto('POST', '/api/v1/mes/equipment-events', { workCenter: 'ASSEMBLY', state: 'idle' })).status).toBe(403);
    await ok(admin('PATCH', '/api/v1/users/otto', { roles: ['operator'] }));
    expect((await otto('GET', '/api/v1/erp/items/RIM')).status).toBe(403);
  });

  it('logout ends the session on the server', async () => {
    await ok(admin('POST', '/api/v1/users', { username: 'lena', password: 'password-123', roles: ['planner'] }), 201);
    const lena = t.as(await t.login('lena', 'password-123'));
    expect((await lena('POST', '/api/v1/auth/logout')).status).toBe(200);
    expect((await lena('GET', '/api/v1/erp/items/RIM')).status).toBe(401);
  });
});

describe(`refusals are audited without flooding (${db})`, () => {
  it('writes one audit row per address and reason a minute, and counts them all', async () => {
    const before = await t.app.db.query(`select 1 from platform.audit_log where entity = 'security' and ref = '10.7.7.7'`);
    expect(before).toHaveLength(0);
    for (let i = 0; i < 20; i++)
      await t.app.http.inject({ method: 'GET', url: '/api/v1/erp/items/RIM', remoteAddress: '10.7.7.7', headers: { authorization: 'Bearer nonsense' } });
    const op = await t.userWith(['operator']);
    for (let i = 0; i < 5; i++)
      await t.app.http.inject({ method: 'GET', url: '/api/v1/erp/items/RIM', remoteAddress: '10.7.7.7', headers: { authorization: `Bearer ${op}` } });
    await platformServices(t.app.db)!.securityAudit.flush();
    const rows = await t.app.db.query<{ action: string; actor: string; after: { status: number; route: string } }>(
      `select action, actor, after from platform.audit_log where entity = 'security' and ref = '10.7.7.7' order by seq`,
    );
    expect(rows.map((r) => [r.action, r.actor, r.after.status, r.after.route])).toEqual([
      ['unauthorized', 'system:auth', 401, '/api/v1/erp/items/:code'],
      ['forbidden', 'system:auth', 403, '/api/v1/erp/items/:code'],
    ]);
    for (let i = 0; i < 3; i++)
      await t.app.http.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.7.7.8', payload: { username: 'admin', password: 'wrong-one' } });
    await platformServices(t.app.db)!.securityAudit.flush();
    const signIns = await t.app.db.query<{ action: string; after: { username: string; status: number } }>(
      `select action, after from platform.audit_log where entity = 'security' and ref = '10.7.7.8'`,
    );
    expect(signIns.map((r) => [r.action, r.after.username, r.after.status])).toEqual([['sign_in_failed', 'admin', 401]]);
    const metrics = (await t.call('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/closeloop_security_refusals_total\{reason="unauthorized",audited="false"\} (19|[2-9]\d)/);
  });
});
