import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedAddress } from '../src/platform/alerts/index.ts';
import { answer, purgeIdempotencyKeys, Semaphore, Throttled, type ModuleDefinition } from '../src/platform/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const db = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';
let t: TestApp;
let admin: TestApp['call'];
let made = 0;

/** A write that answers CSV, to see the replay keep its content type. */
const probe: ModuleDefinition = {
  name: 'probe',
  routes(router) {
    router.route({
      method: 'POST',
      url: '/api/v1/probe/report',
      permission: 'users.manage',
      summary: 'test only',
      body: z.strictObject({ rows: z.number().int() }),
      handler: async ({ body }) => answer(201, `made,rows\r\n${++made},${body.rows}\r\n`, 'text/csv; charset=utf-8'),
    });
  },
};

beforeAll(async () => {
  t = await startTestApp({ extraModules: [probe] });
  admin = t.as(t.adminToken);
});
afterAll(() => t?.close());

describe(`Idempotency-Key (${db})`, () => {
  it('replays the first answer with its content type, and refuses the same key with another body (422)', async () => {
    const first = await admin('POST', '/api/v1/probe/report', { rows: 3 }, { 'idempotency-key': 'k-1' });
    expect(first).toMatchObject({ status: 201, body: 'made,rows\r\n1,3\r\n' });
    expect(first.headers['content-type']).toBe('text/csv; charset=utf-8');
    const again = await admin('POST', '/api/v1/probe/report', { rows: 3 }, { 'idempotency-key': 'k-1' });
    expect(again).toMatchObject({ status: 201, body: 'made,rows\r\n1,3\r\n' });
    expect(again.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(again.headers['idempotent-replay']).toBe('true');
    const other = await admin('POST', '/api/v1/probe/report', { rows: 4 }, { 'idempotency-key': 'k-1' });
    expect(other.status).toBe(422);
    expect(other.body.error).toEqual({
      code: 'unprocessable',
      message: 'Idempotency-Key already used with another body',
      details: { key: 'k-1', reason: 'idempotency_key_reused' },
    });
    expect(made).toBe(1);
  });

  it('purges keys older than their retention', async () => {
    await admin('POST', '/api/v1/probe/report', { rows: 1 }, { 'idempotency-key': 'k-old' });
    await admin('POST', '/api/v1/probe/report', { rows: 1 }, { 'idempotency-key': 'k-new' });
    await t.app.db.query(`update platform.idempotency set created_at = now() - interval '49 hours' where key = 'k-old'`);
    expect(await purgeIdempotencyKeys(t.app.db)).toBe(1);
    const left = await t.app.db.query<{ key: string }>(`select key from platform.idempotency where key in ('k-old', 'k-new')`);
    expect(left).toEqual([{ key: 'k-new' }]);
  });
});

describe(`bodies (${db})`, () => {
  it('accepts a POST with no body when every field is optional', async () => {
    const none = await t.call('POST', '/api/v1/planning/mrp', undefined, { authorization: `Bearer ${t.adminToken}` });
    expect(none.status).toBe(200);
    expect(none.body.plannedOrders).toEqual([]);
    const emptyJson = await t.call('POST', '/api/v1/planning/mrp', '', { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' });
    expect(emptyJson.status).toBe(200);
    const required = await t.call('POST', '/api/v1/erp/customers', undefined, { authorization: `Bearer ${t.adminToken}` });
    expect(required.status).toBe(400);
  });
});

describe(`webhook targets (${db})`, () => {
  it('refuses link-local, metadata and unspecified addresses with 422', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/hook',
      'http://0.0.0.0:8080/hook',
      'http://[::]/hook',
      'http://[::ffff:169.254.169.254]/hook',
      'http://metadata.google.internal/computeMetadata/v1/',
    ]) {
      const r = await admin('POST', '/api/v1/webhooks', { url, kinds: ['*'] });
      expect(r.status, url).toBe(422);
      expect(r.body.error.details.reason).toBe('forbidden_target');
    }
    expect((await admin('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', kinds: ['*'] })).status).toBe(201);
    expect(await t.app.db.query(`select url from platform.webhooks`)).toEqual([{ url: 'http://127.0.0.1:9/hook' }]);
  });

  it('knows which addresses are forbidden', () => {
    expect(['169.254.0.1', '0.0.0.0', '0.1.2.3', '::', '0:0:0:0:0:0:0:0', 'fe80::1', 'febf::1', '::ffff:a9fe:a9fe'].filter(blockedAddress)).toHaveLength(8);
    expect(['127.0.0.1', '10.0.0.1', '192.168.1.1', '169.253.1.1', '::1', 'fec0::1', '2001:db8::1', 'example.com'].filter(blockedAddress)).toEqual([]);
  });
});

describe('the hashing semaphore', () => {
  it('runs at most its limit at once, queues a few more, and refuses beyond the queue with 503 + Retry-After', async () => {
    const s = new Semaphore(2, 1);
    const gates: (() => void)[] = [];
    const job = () => s.run(() => new Promise<void>((r) => gates.push(r)));
    const running = [job(), job(), job()];
    await Promise.resolve();
    expect([s.inUse, s.queued]).toEqual([2, 1]);
    const refused = await job().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Throttled);
    expect(refused).toMatchObject({ status: 503, retryAfterSeconds: 1 });
    gates.shift()!();
    await running[0];
    expect([s.inUse, s.queued]).toEqual([2, 0]); // the slot went straight to the waiter
    for (let i = 0; i < 2; i++) {
      while (!gates.length) await Promise.resolve();
      gates.shift()!();
    }
    await Promise.all(running);
    expect([s.inUse, s.queued]).toEqual([0, 0]);
  });
});
