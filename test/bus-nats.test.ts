import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'nats';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { privateNats } from './support/nats.ts';
import { probeFailures, probeModule } from './support/probe-module.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, orderWheels, wheelShop, workOrdersOf } from './support/factory.ts';

/**
 * The bus over NATS JetStream (NATS_URL), against the nats-server on 127.0.0.1:4222 (.ci/run starts
 * it). Each run has its own stream, removed at the end, so parallel runs do not meet.
 */
const NATS_URL = 'nats://127.0.0.1:4222';
const stream = `CLOSELOOP_T_${process.pid}_${Date.now().toString(36)}`.toUpperCase();

let t: TestApp;
let second: App | null = null;
let admin: TestApp['call'];

beforeAll(async () => {
  t = await startTestApp({ extraModules: [probeModule], relay: { backoffMs: 5, maxAttempts: 3, republishAfterMs: 3_000 }, config: { natsUrl: NATS_URL, natsStream: stream } });
  admin = t.as(t.adminToken);
});
afterAll(async () => {
  await second?.close();
  await t?.close();
  const nc = await connect({ servers: NATS_URL });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(stream).catch(() => undefined);
  await nc.close();
});

describe(`bus over NATS JetStream (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('says so on /health and carries the order loop: approval → work orders → planned dates in the ERP', async () => {
    expect((await t.call('GET', '/health')).body).toMatchObject({ status: 'ok', bus: 'nats' });
    await wheelShop(admin);
    await t.settle();
    const so = await orderWheels(admin, 4);
    await t.settle();
    const { top, child } = await workOrdersOf(admin, so);
    expect(top.qty).toBe(4);
    expect(child.parentWorkOrder).toBe(top.id);
    const order = await ok(admin('GET', `/api/v1/erp/sales-orders/${so}`));
    expect(order.lines[0].plannedEnd).toBe(top.plannedEnd);
    const trace = await ok(admin('GET', `/api/v1/integration/messages?correlationId=${so}`));
    expect(trace.map((m: any) => m.type)).toEqual(expect.arrayContaining(['ProcessOperationsSchedule', 'AcknowledgeOperationsSchedule']));
    expect(trace.every((m: any) => m.status === 'delivered')).toBe(true);
    const [published] = await t.app.db.query(`select count(*)::int as n from platform.outbox where correlation_id = $1 and published_at is null`, [so]);
    expect(published.n).toBe(0); // they went through the stream, not around it
    // and the stream let go of them once every consumer had them (the outbox is the record)
    const nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    let held = -1;
    for (let i = 0; i < 100 && held !== 0; i++) {
      held = (await jsm.streams.info(stream)).state.messages;
      if (held) await new Promise((r) => setTimeout(r, 20)); // acknowledgements reach the server asynchronously
    }
    await nc.close();
    expect(held).toBe(0);
  });

  it('shares the work between two app instances and handles every message once', async () => {
    second = await createApp({
      config: { ...t.app.config, natsUrl: NATS_URL, natsStream: stream },
      db: t.app.db,
      extraModules: [probeModule],
      relay: { backoffMs: 5, maxAttempts: 3 },
      logger: pino({ level: 'silent' }),
    });
    const viaSecond = async (id: string) =>
      second!.http.inject({ method: 'POST', url: '/api/v1/probe/things', payload: { id, qty: 1 }, headers: { authorization: `Bearer ${t.adminToken}` } });
    const heard = [new Map<string, number>(), new Map<string, number>()];
    [t.app.hub, second.hub].forEach((hub, i) =>
      hub.listen((e) => {
        if (e.type === 'probe.thing.created') heard[i].set(e.id, (heard[i].get(e.id) ?? 0) + 1);
      }),
    );
    const ids = Array.from({ length: 60 }, (_, i) => `twin-${i}`);
    await Promise.all(ids.map((id, i) => (i % 2 ? viaSecond(id) : admin('POST', '/api/v1/probe/things', { id, qty: 1 }))));
    await t.settle();
    const effects = await t.app.db.query<{ thing: string; n: number }>(
      `select thing, count(*)::int as n from probe.effects where thing like 'twin-%' group by thing`,
    );
    expect(effects).toHaveLength(60);
    expect(effects.every((e) => e.n === 1)).toBe(true);
    // both instances' live streams show every message, once
    const sent = (await t.app.db.query<{ id: string }>(`select id from platform.outbox where correlation_id like 'twin-%'`)).map((r) => r.id);
    for (let i = 0; i < 200 && !heard.every((h) => sent.every((id) => h.has(id))); i++) await new Promise((r) => setTimeout(r, 10));
    for (const h of heard) {
      expect(sent.every((id) => h.get(id) === 1)).toBe(true);
    }
    await second.close(); // the tests below count attempts of one instance
    second = null;
  });

  it('retries, dead-letters a message that keeps failing with an alert, and a replay after the fix applies it once', async () => {
    probeFailures.remaining = 2; // the batch attempt and the first one-by-one attempt fail
    await ok(admin('POST', '/api/v1/probe/things', { id: 'nats-retry', qty: 1 }), 201);
    await t.settle();
    expect(await t.app.db.query(`select * from probe.effects where thing = 'nats-retry'`)).toHaveLength(1);
    const [retried] = await t.app.db.query(`select status, attempts from platform.outbox where correlation_id = 'nats-retry'`);
    expect(retried).toEqual({ status: 'delivered', attempts: 1 });

    const live: { type: string; payload: any }[] = [];
    t.app.hub.listen((e) => live.push(e));
    probeFailures.always.add('nats-poison');
    await ok(admin('POST', '/api/v1/probe/things', { id: 'nats-poison', qty: 1 }), 201);
    await t.settle();
    const [dl] = await t.app.db.query(`select id, reason, consumer from platform.dead_letters where payload->>'id' = 'nats-poison'`);
    expect(dl).toMatchObject({ reason: 'refused nats-poison', consumer: 'probe.effects' });
    const alerts = await ok(admin('GET', '/api/v1/alerts?kind=integration_failure'));
    const alert = alerts.find((a: any) => a.message.includes('refused nats-poison'));
    // a message no one consumes (the alert raised) still reaches the live stream
    for (let i = 0; i < 100 && !live.some((e) => e.type === 'platform.alert.raised'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(live.some((e) => e.type === 'platform.alert.raised' && e.payload.ref === `probe.effects/${alert.ref.split('/')[1]}`)).toBe(true);
    expect(alert).toMatchObject({ messageKey: 'alert.integration_failure', params: { type: 'probe.thing.created', consumer: 'probe.effects', reason: 'refused nats-poison' } });

    probeFailures.always.delete('nats-poison');
    await ok(admin('POST', `/api/v1/integration/dead-letters/${dl.id}/replay`));
    await t.settle();
    expect(await t.app.db.query(`select * from probe.effects where thing = 'nats-poison'`)).toHaveLength(1);
    const [row] = await t.app.db.query(`select status, publications from platform.outbox where correlation_id = 'nats-poison'`);
    expect(row).toEqual({ status: 'delivered', publications: 2 });
  });

  it('publishes again what the stream lost: a message published long ago and still open goes out again, handled once', async () => {
    await t.app.relay.stop();
    await ok(admin('POST', '/api/v1/probe/things', { id: 'nats-lost', qty: 1 }), 201);
    // as if it had been published and then lost (a purged or rebuilt stream)
    await t.app.db.query(`update platform.outbox set published_at = now() - interval '1 hour', publications = 1 where correlation_id = 'nats-lost'`);
    await t.app.relay.start();
    await t.settle();
    expect(await t.app.db.query(`select * from probe.effects where thing = 'nats-lost'`)).toHaveLength(1);
    const [row] = await t.app.db.query(`select status, publications from platform.outbox where correlation_id = 'nats-lost'`);
    expect(row).toEqual({ status: 'delivered', publications: 2 });
  });

  it('sets the stream and its consumers up again when the stream is deleted under it', async () => {
    await ok(admin('POST', '/api/v1/probe/things', { id: 'nats-before-loss', qty: 1 }), 201);
    await t.settle();
    const nc = await connect({ servers: NATS_URL });
    await (await nc.jetstreamManager()).streams.delete(stream);
    await nc.close();
    await ok(admin('POST', '/api/v1/probe/things', { id: 'nats-after-loss', qty: 1 }), 201);
    await t.settle();
    expect(await t.app.db.query(`select thing from probe.effects where thing like 'nats-%-loss' order by n`)).toEqual([
      { thing: 'nats-before-loss' },
      { thing: 'nats-after-loss' },
    ]);
  });

  it('keeps the order of one correlation: a message waits while an earlier one of its correlation is failing', async () => {
    probeFailures.remaining = 2; // ord-a fails in the batch and alone; ord-b must not overtake it
    await t.app.db.unitOfWork({ actor: { kind: 'system', id: 'test', roles: ['admin'] }, module: 'probe' }, async (uow) => {
      await uow.query(`insert into probe.things (id, qty) values ('ord-a', 1), ('ord-b', 1)`);
      uow.emitRaw('probe.thing.created', { id: 'ord-a' }, { correlationId: 'ordered' });
      uow.emitRaw('probe.thing.created', { id: 'ord-b' }, { correlationId: 'ordered' });
    });
    await t.settle();
    const effects = await t.app.db.query(`select thing from probe.effects where thing like 'ord-%' order by n`);
    expect(effects.map((e) => e.thing)).toEqual(['ord-a', 'ord-b']);
  });

  it('refuses to start with a clear message when NATS_URL does not answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'closeloop-nats-'));
    try {
      const run = promisify(execFile)(process.execPath, ['bin/closeloop.js', 'serve'], {
        env: { ...process.env, NATS_URL: 'nats://127.0.0.1:1', CLOSELOOP_DATA_DIR: dir, PORT: '0', MQTT_PORT: '0', DATABASE_URL: '' },
        timeout: 60_000,
      });
      const failed = await run.then(() => null, (e: { code: number; stderr: string }) => e);
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/cannot start: NATS_URL nats:\/\/127\.0\.0\.1:1: cannot connect/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe.skipIf(!existsSync('/usr/sbin/nats-server'))('bus over a nats-server that is killed and started again', () => {
  it('publishes again at once, after the reconnect, what the restarted server lost', async () => {
    const nats = (await privateNats())!;
    // a long backoff: the failed message rests in the stream; the sweep (2 min) is far away
    const u = await startTestApp({ extraModules: [probeModule], relay: { backoffMs: 60_000, maxAttempts: 10 }, config: { natsUrl: nats.url, natsStream: 'RESTART' } });
    try {
      const call = u.as(u.adminToken);
      probeFailures.always.add('lost-in-crash');
      await ok(call('POST', '/api/v1/probe/things', { id: 'lost-in-crash', qty: 1 }), 201);
      let row: { status: string; published_at: Date | null } | undefined;
      for (let i = 0; i < 200 && row?.status !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        [row] = await u.app.db.query<{ status: string; published_at: Date | null }>(`select status, published_at from platform.outbox where correlation_id = 'lost-in-crash'`);
      }
      expect(row?.status).toBe('failed');
      expect(row?.published_at).not.toBeNull();
      // the crash takes the message with it (JetStream writes its store behind the acknowledgement)
      const nc = await connect({ servers: nats.url });
      const jsm = await nc.jetstreamManager();
      await jsm.streams.purge('RESTART');
      await nc.close();
      probeFailures.always.delete('lost-in-crash');
      await nats.kill();
      await nats.start();
      let effects: unknown[] = [];
      for (let i = 0; i < 300 && !effects.length; i++) {
        await new Promise((r) => setTimeout(r, 50));
        effects = await u.app.db.query(`select * from probe.effects where thing = 'lost-in-crash'`);
      }
      expect(effects).toHaveLength(1);
      const [after] = await u.app.db.query(`select status, publications from platform.outbox where correlation_id = 'lost-in-crash'`);
      expect(after).toEqual({ status: 'delivered', publications: 2 });
    } finally {
      await u.close();
      await nats.remove();
    }
  }, 60_000);
});
