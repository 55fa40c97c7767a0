import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionGuard } from '../src/platform/auth/index.ts';
import { platformServices } from '../src/platform/routes.ts';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from './support/app.ts';

const db = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';
const logs: string[] = [];
const answers: string[] = [];
let t: TestApp;
let admin: TestApp['call'];

/** Every answer is kept, to look for passwords in them at the end. */
const recorded =
  (call: TestApp['call']): TestApp['call'] =>
  async (...args) => {
    const r = await call(...args);
    answers.push(JSON.stringify(r.body) + JSON.stringify(r.headers));
    return r;
  };

const PASSWORDS = ['Pw-Secret-7781-xyz', 'Pw-Renewed-5529-abc', 'Pw-Wrong-0413-qqq', 'Xq7#z'];

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  t = await startTestApp({ logger: pino({ level: 'debug' }, stream) });
  admin = recorded(t.as(t.adminToken));
});
afterAll(() => t?.close());

async function signIn(username: string, password: string, ip?: string) {
  const res = await t.app.http.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    ...(ip ? { remoteAddress: ip } : {}),
  });
  answers.push(res.body + JSON.stringify(res.headers));
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

describe(`sessions (${db})`, () => {
  it('refresh gives a new token and refuses the old one; logout refuses the token at once', async () => {
    expect((await admin('POST', '/api/v1/users', { username: 'sam', password: PASSWORDS[0], roles: ['planner'] })).status).toBe(201);
    const a = (await signIn('sam', PASSWORDS[0])).body.token as string;
    const as = (tok: string) => recorded(t.as(tok));
    expect((await as(a)('GET', '/api/v1/alerts')).status).toBe(200);
    const refreshed = await as(a)('POST', '/api/v1/auth/refresh');
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user).toEqual({ username: 'sam', roles: ['planner'] });
    expect(Date.parse(refreshed.body.expiresAt)).toBeGreaterThan(Date.now());
    const b = refreshed.body.token as string;
    expect((await as(a)('GET', '/api/v1/alerts')).status).toBe(401);
    expect((await as(b)('GET', '/api/v1/alerts')).status).toBe(200);
    expect((await as(b)('POST', '/api/v1/auth/logout')).status).toBe(200);
    expect((await as(b)('GET', '/api/v1/alerts')).status).toBe(401);
    expect((await as(b)('POST', '/api/v1/auth/refresh')).status).toBe(401);
    // another instance learns of it from the table
    const other = new SessionGuard(t.app.db);
    await other.ready;
    expect(await other.accepts(await verifyIgnoringGuard(b))).toBe(false);
  });

  it('a password change refuses every token issued before and the old password', async () => {
    const one = (await signIn('sam', PASSWORDS[0])).body.token as string;
    const two = (await signIn('sam', PASSWORDS[0])).body.token as string;
    const wrong = await recorded(t.as(one))('POST', '/api/v1/auth/password', { currentPassword: PASSWORDS[2], newPassword: PASSWORDS[1] });
    expect(wrong.status).toBe(422);
    const short = await recorded(t.as(one))('POST', '/api/v1/auth/password', { currentPassword: PASSWORDS[0], newPassword: PASSWORDS[3] });
    expect(short.status).toBe(400);
    const changed = await recorded(t.as(one))('POST', '/api/v1/auth/password', { currentPassword: PASSWORDS[0], newPassword: PASSWORDS[1] });
    expect(changed.status).toBe(200);
    expect((await t.as(one)('GET', '/api/v1/alerts')).status).toBe(401);
    expect((await t.as(two)('GET', '/api/v1/alerts')).status).toBe(401);
    expect((await t.as(changed.body.token)('GET', '/api/v1/alerts')).status).toBe(200);
    expect((await signIn('sam', PASSWORDS[0])).status).toBe(401);
    expect((await signIn('sam', PASSWORDS[1])).status).toBe(200);
    const other = new SessionGuard(t.app.db);
    await other.ready;
    expect(await other.accepts(await verifyIgnoringGuard(two))).toBe(false);
    const [row] = await t.app.db.query(`select actor, after from platform.audit_log where entity = 'user' and ref = 'sam' and action = 'change_password'`);
    expect(row.actor).toBe('user:sam');
  });

  it('never locks an account: failures from one address answer as for anyone else and a correct password from elsewhere signs in', async () => {
    expect((await admin('POST', '/api/v1/users', { username: 'lou', password: PASSWORDS[0], roles: ['operator'] })).status).toBe(201);
    const messages = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const r = await signIn('lou', PASSWORDS[2], '10.1.1.1');
      expect(r.status).toBe(401);
      messages.add(r.body.error.message);
    }
    messages.add((await signIn('nobody-at-all', PASSWORDS[2], '10.1.1.3')).body.error.message);
    expect([...messages]).toEqual(['wrong username or password']);
    expect((await signIn('lou', PASSWORDS[0], '10.1.1.2')).status).toBe(200);
  });

  it('throttles an address after repeated failures (429, Retry-After growing), while another address still signs in', async () => {
    let last = 0;
    for (let i = 0; i < 11; i++) last = (await signIn('ghost', PASSWORDS[2], '10.9.9.9')).status;
    expect(last).toBe(429);
    const limited = await signIn('admin', ADMIN_PASSWORD, '10.9.9.9'); // the right password does not pass a throttled address
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_requests');
    expect(limited.headers['retry-after']).toBe('1');
    expect((await signIn('ghost', PASSWORDS[2], '10.9.9.10')).status).toBe(401); // another address
    expect((await signIn('admin', ADMIN_PASSWORD, '10.9.9.10')).status).toBe(200); // admin included
    const limiter = platformServices(t.app.db)!.limiter;
    const now = Date.now() + 5_000;
    limiter.fail('10.9.9.9', now); // an 11th failure doubles the wait
    expect(limiter.retryAfterMs('10.9.9.9', now)).toBe(2_000);
  });

  it('refuses tokens signed with another key, with another algorithm, or naming another issuer', async () => {
    const forge = (key: string, iss = 'closeloop') =>
      new SignJWT({ roles: ['admin'], gen: 99 })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('admin')
        .setJti('forged')
        .setIssuer(iss)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(key));
    expect((await t.as(await forge('not the server key at all'))('GET', '/api/v1/audit')).status).toBe(401);
    expect((await t.as(await forge(await serverKey(), 'someone-else'))('GET', '/api/v1/audit')).status).toBe(401);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"admin","roles":["admin"],"iss":"closeloop"}').toString('base64url')}.`;
    expect((await t.as(none)('GET', '/api/v1/audit')).status).toBe(401);
    expect((await t.call('GET', '/api/v1/audit', undefined, { 'x-api-key': "clk_' or '1'='1" })).status).toBe(401);
  });

  it('stores SQL-injection strings as text or refuses them', async () => {
    const evil = [`x'); drop table platform.users; --`, `' or '1'='1`, `"; delete from platform.audit_log; --`, `\\'; select pg_sleep(5); --`];
    for (const s of evil) {
      expect((await admin('POST', '/api/v1/users', { username: s, password: PASSWORDS[0], roles: ['planner'] })).status).toBe(400);
      const rule = await admin('POST', '/api/v1/alerts/rules', { name: s, kinds: ['late_order', 'shortage'], role: 'purchaser', message: s });
      expect(rule.status).toBe(201);
      expect(rule.body).toMatchObject({ name: s, message: s });
      const hook = await admin('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:9/${encodeURIComponent(s)}`, kinds: ['shortage'] });
      expect(hook.status).toBe(201);
      expect((await admin('POST', '/api/v1/webhooks', { url: s, kinds: ['shortage'] })).status).toBe(400);
      const audit = await admin('GET', `/api/v1/audit?entity=${encodeURIComponent(s)}&user=${encodeURIComponent(s)}`);
      expect(audit.status).toBe(200);
      expect(audit.body).toEqual([]);
      expect((await admin('GET', `/api/v1/alerts?kind=${encodeURIComponent(s)}`)).body).toEqual([]);
      expect((await signIn(s, s)).status).toBe(401);
    }
    const rules = await admin('GET', '/api/v1/alerts/rules');
    expect(rules.body.map((r: any) => r.name)).toEqual(evil);
    const [{ n }] = await t.app.db.query<{ n: number }>('select count(*)::int as n from platform.users');
    expect(n).toBeGreaterThanOrEqual(3);
    await t.app.db.query('delete from platform.webhooks');
  });

  it('never shows a password in an answer or a log line', async () => {
    expect(answers.length).toBeGreaterThan(20);
    expect(logs.length).toBeGreaterThan(3);
    const everything = answers.join('\n') + logs.join('\n');
    for (const p of [...PASSWORDS, ADMIN_PASSWORD]) expect(everything.includes(p), p).toBe(false);
    const [row] = await t.app.db.query<{ password_hash: string }>(`select password_hash from platform.users where username = 'sam'`);
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
  });
});

async function serverKey() {
  const [r] = await t.app.db.query<{ value: string }>(`select value from platform.settings where key = 'jwt_secret'`);
  return r.value;
}

/** The claims of a token without the session check (to ask a second guard about it). */
async function verifyIgnoringGuard(token: string) {
  const guard = t.app.tokens.guard;
  t.app.tokens.guard = null;
  try {
    return await t.app.tokens.verify(token);
  } finally {
    t.app.tokens.guard = guard;
  }
}
