import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { migrate } from '../src/platform/index.ts';
import { probeFailures, probeModule } from './support/probe-module.ts';
import { startTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
let admin: TestApp['call'];

beforeAll(async () => {
  t = await startTestApp({ extraModules: [probeModule], config: { bodyLimitBytes: 64 * 1024 } });
  admin = t.as(t.adminToken);
});
afterAll(() => t?.close());

describe(`foundation (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('says which database and bus it runs on', async () => {
    const r = await t.call('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', database: t.dbKind, bus: t.app.relay.kind });
    expect(t.app.relay.kind).toBe(process.env.TEST_NATS_URL ? 'nats' : 'memory');
  });

  it('signs in with the right password only, without telling which part was wrong', async () => {
    const ok = await t.call('POST', '/api/v1/auth/login', { username: 'admin', password: 'admin-pass-1' });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual({ username: 'admin', roles: ['admin'] });
    const wrong = await t.call('POST', '/api/v1/auth/login', { username: 'admin', password: 'nope' });
    const nobody = await t.call('POST', '/api/v1/auth/login', { username: 'nobody', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(nobody.status).toBe(401);
    expect(wrong.body.error.message).toBe(nobody.body.error.message);
  });

  it('refuses calls without a token, with a forged token and with an expired token', async () => {
    expect((await t.call('GET', '/api/v1/alerts')).status).toBe(401);
    const forged = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin')
      .setIssuer('closeloop')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another key'));
    const r1 = await t.call('GET', '/api/v1/alerts', undefined, { authorization: `Bearer ${forged}` });
    expect(r1.status).toBe(401);
    expect(r1.body.error.code).toBe('unauthorized');
    const old = await t.app.tokens.issue('admin', ['admin'], {});
    const expiredToken = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin')
      .setIssuer('closeloop')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(await (t.app.tokens as any).key);
    expect((await t.call('GET', '/api/v1/alerts', undefined, { authorization: `Bearer ${old.token}` })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/alerts', undefined, { authorization: `Bearer ${expiredToken}` })).status).toBe(401);
  });

  it('answers 403 without the permission', async () => {
    const operator = await t.userWith(['operator']);
    const r = await t.as(operator)('POST', '/api/v1/users', { username: 'x', password: 'password-1', roles: ['admin'] });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
  });

  it('gives the contract error shape for malformed JSON, wrong types, unknown fields and oversize bodies', async () => {
    const bad = await admin('POST', '/api/v1/probe/things', '{"id": "a",', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'bad_request' });
    const wrongType = await admin('POST', '/api/v1/probe/things', { id: 'a', qty: 'many' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toMatch(/qty/);
    const unknown = await admin('POST', '/api/v1/probe/things', { id: 'a', qty: 1, colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('bad_request');
    const big = await admin('POST', '/api/v1/probe/things', { id: 'x'.repeat(100_000), qty: 1 });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const none = await admin('GET', '/api/v1/nothing-here');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found');
  });

  it('a use case that throws after writing leaves neither its rows nor its messages', async () => {
    const r = await admin('POST', '/api/v1/probe/things', { id: 'ghost', qty: 1, failAfterWrite: true });
    expect(r.status).toBe(500);
    expect(await t.app.db.query(`select * from probe.things where id = 'ghost'`)).toEqual([]);
    expect(await t.app.db.query(`select * from platform.outbox where correlation_id = 'ghost'`)).toEqual([]);
    expect(await t.app.db.query(`select * from platform.audit_log where ref = 'ghost'`)).toEqual([]);
  });

  it('a unit of work whose outbox and audit flush fails (sent with the COMMIT) commits nothing and says why', async () => {
    const db = t.app.db;
    await db.query('create table if not exists probe.flushed (id text primary key)');
    const failing = db.unitOfWork({ actor: { kind: 'system', id: 'test', roles: ['admin'] }, module: 'probe' }, async (uow) => {
      await uow.query(`insert into probe.flushed values ('half')`);
      uow.emitRaw('ProbeThing', { id: 'half' }, { correlationId: 'half' });
      uow.messageId = 'not-a-uuid'; // the audit row's message_id is a uuid: the flush fails on the server
      uow.audit({ action: 'create', entity: 'probe', ref: 'half' });
      return 'done';
    });
    await expect(failing).rejects.toThrow(/uuid/);
    expect(await db.query(`select * from probe.flushed where id = 'half'`)).toEqual([]);
    expect(await db.query(`select * from platform.outbox where correlation_id = 'half'`)).toEqual([]);
    // the connection it used is healthy again, and a unit of work that runs no statement still commits
    const empty = await db.unitOfWork({ actor: { kind: 'system', id: 'test', roles: ['admin'] }, module: 'probe' }, async () => 'nothing');
    expect(empty).toBe('nothing');
    const counts = await Promise.all(Array.from({ length: 25 }, () => db.query<{ n: number }>('select count(*)::int as n from probe.flushed')));
    expect(counts.every(([r]) => r.n === 0)).toBe(true);
  });

  it('keeps working when a table changes under its prepared statements (a migration by another instance)', async () => {
    const db = t.app.db;
    await db.query('create table if not exists probe.widened (id int primary key)');
    await db.query('insert into probe.widened values (1) on conflict do nothing');
    const read = () => db.query('select * from probe.widened order by id');
    const inUnitOfWork = () => db.unitOfWork({ actor: { kind: 'system', id: 'test', roles: ['admin'] }, module: 'probe' }, (uow) => uow.query('select * from probe.widened order by id'));
    for (let i = 0; i < 3; i++) await Promise.all([read(), inUnitOfWork()]); // prepared on the server by now
    await db.query(`alter table probe.widened add column note text default 'wide'`);
    expect(await read()).toEqual([{ id: 1, note: 'wide' }]);
    await db.query(`alter table probe.widened add column more int default 2`);
    expect(await inUnitOfWork()).toEqual([{ id: 1, note: 'wide', more: 2 }]);
  });

  it('delivers a committed message to its handler once, even when delivered twice', async () => {
    const r = await admin('POST', '/api/v1/probe/things', { id: 'once', qty: 1 });
    expect(r.status).toBe(201);
    await t.settle();
    const [msg] = await t.app.db.query(`select id, status from platform.outbox where correlation_id = 'once'`);
    expect(msg.status).toBe('delivered');
    // deliver it again, as a crash between handling and marking would
    await t.app.db.query(`update platform.outbox set status = 'pending', published_at = null where id = $1`, [msg.id]);
    await t.settle();
    const effects = await t.app.db.query(`select * from probe.effects where thing = 'once'`);
    expect(effects).toHaveLength(1);
  });

  it('retries a failing handler with backoff and delivers in correlation order', async () => {
    probeFailures.remaining = 2;
    await admin('POST', '/api/v1/probe/things', { id: 'retry', qty: 1 });
    await t.settle();
    const [msg] = await t.app.db.query(`select status, attempts from platform.outbox where correlation_id = 'retry'`);
    expect(msg.status).toBe('delivered');
    expect(msg.attempts).toBeGreaterThanOrEqual(1);
    expect(await t.app.db.query(`select * from probe.effects where thing = 'retry'`)).toHaveLength(1);
  });

  it('puts a message that keeps failing in dead letters with its reason, raises an alert, and keeps serving', async () => {
    probeFailures.always.add('poison');
    await admin('POST', '/api/v1/probe/things', { id: 'poison', qty: 1 });
    await t.settle();
    const [dl] = await t.app.db.query(`select reason, consumer, type from platform.dead_letters where payload->>'id' = 'poison'`);
    expect(dl).toEqual({ reason: 'refused poison', consumer: 'probe.effects', type: 'probe.thing.created' });
    const alerts = await admin('GET', '/api/v1/alerts?kind=integration_failure');
    expect(alerts.body.some((a: any) => a.message.includes('refused poison'))).toBe(true);
    expect((await t.call('GET', '/health')).status).toBe(200);
    const after = await admin('POST', '/api/v1/probe/things', { id: 'after-poison', qty: 2 });
    expect(after.status).toBe(201);

    // the cause fixed, a replay applies it once
    probeFailures.always.delete('poison');
    const list = await admin('GET', '/api/v1/integration/dead-letters?status=open');
    const letter = list.body.find((d: any) => d.type === 'probe.thing.created');
    const replay = await admin('POST', `/api/v1/integration/dead-letters/${letter.id}/replay`);
    expect(replay.status).toBe(200);
    await t.settle();
    expect(await t.app.db.query(`select * from probe.effects where thing = 'poison'`)).toHaveLength(1);
    const again = await admin('POST', `/api/v1/integration/dead-letters/${letter.id}/replay`);
    expect(again.status).toBe(409);
    const trace = await admin('GET', '/api/v1/integration/messages?correlationId=poison');
    expect(trace.body).toHaveLength(1);
    expect(trace.body[0]).toMatchObject({ type: 'probe.thing.created', from: 'probe', status: 'delivered', correlationId: 'poison' });
  });

  it('answers a repeated write with its Idempotency-Key with the first answer and no second effect', async () => {
    const h = { 'idempotency-key': 'terminal-7-0001' };
    const first = await admin('POST', '/api/v1/probe/things', { id: 'idem', qty: 3 }, h);
    const second = await admin('POST', '/api/v1/probe/things', { id: 'idem', qty: 3 }, h);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replay']).toBe('true');
    expect(await t.app.db.query(`select * from platform.outbox where correlation_id = 'idem'`)).toHaveLength(1);
    // without the key the same write is a conflict of the primary key → not a silent duplicate
    const third = await admin('POST', '/api/v1/probe/things', { id: 'idem', qty: 3 });
    expect(third.status).toBe(500);
  });

  it('runs migrations twice without harm', async () => {
    const applied = await migrate(t.app.db, [{ module: 'probe', dir: probeModule.migrationsDir! }]);
    expect(applied).toEqual([]);
  });

  it('documents every route in OpenAPI 3.1 and every API route declares a permission', async () => {
    const r = await t.call('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toContain('/api/v1/auth/login');
    const declared = new Set(t.app.routes.map((r) => `${r.method} ${r.url}`));
    const apiRoutes = t.app.allRoutes.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');
    expect(apiRoutes.length).toBeGreaterThan(5);
    for (const r of apiRoutes) expect(declared, `${r.method} ${r.url} has no permission`).toContain(`${r.method} ${r.url}`);
    for (const r of t.app.routes) expect(r.permission, r.url).toBeTruthy();
  });

  it('exposes Prometheus metrics with HTTP latency, outbox lag and dead letters', async () => {
    const r = await t.call('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.body).toContain('closeloop_http_request_duration_seconds_bucket');
    expect(r.body).toContain('closeloop_outbox_lag_messages');
    expect(r.body).toContain('closeloop_dead_letters_open');
  });
});
