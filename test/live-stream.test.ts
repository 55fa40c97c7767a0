import { randomUUID } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, orderWheels, runOperation, wheelShop, workOrdersOf } from './support/factory.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const db = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';
let t: TestApp;
let admin: TestApp['call'];
let address: URL;

interface SseEvent {
  event: string;
  data: { type?: string; payload?: Record<string, unknown>; correlationId?: string | null; reason?: string };
}

/** A live stream read over a real socket: its status, the events parsed so far, and its end. */
interface Stream {
  status: number;
  headers: IncomingMessage['headers'];
  events: SseEvent[];
  ended: Promise<void>;
  res: IncomingMessage;
  close(): void;
}

function openStream(headers: Record<string, string>, opts: { read?: boolean } = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address.hostname, port: address.port, path: '/api/v1/events', headers }, (res) => {
      const events: SseEvent[] = [];
      let buffer = '';
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => done());
      });
      if (opts.read !== false)
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
          }
        });
      else res.pause();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, events, ended, res, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function until(what: () => boolean, label: string) {
  for (let i = 0; i < 500 && !what(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(what(), label).toBe(true);
}

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  address = new URL(await t.app.http.listen({ port: 0, host: '127.0.0.1' }));
});
afterAll(() => t?.close());

describe(`live stream, per reader (${db})`, () => {
  it('shows an operator of one work centre only its events: no other work centre, no sales order, no cost', async () => {
    const operator = await t.userWith(['operator'], { workCenters: ['LACING'] });
    const manager = await t.userWith(['manager']);
    const op = await openStream(bearer(operator));
    const all = await openStream(bearer(manager));
    expect(op.status).toBe(200);
    expect(op.headers['content-type']).toBe('text/event-stream');

    await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'ASSEMBLY', state: 'down', reason: 'jam' }), 201);
    const so = await orderWheels(admin, 2);
    await t.settle();
    const { child } = await workOrdersOf(admin, so);
    await runOperation(admin, child.operations[0].id, { goodQty: 2, laborMinutes: 30, machineMinutes: 30 });
    await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'LACING', state: 'idle', reason: 'marker' }), 201);
    await t.settle();
    const marker = (s: Stream) => s.events.some((e) => e.data.payload?.reason === 'marker');
    // over NATS a message no one consumes (the marker) is announced when published, before the
    // report's consumers are done: the stream's order across messages is not promised, its content is
    const performances = (x: Stream) => x.events.filter((e) => e.event === 'ProcessOperationsPerformance').length;
    await until(() => marker(op) && marker(all) && performances(op) >= 2, 'both streams saw the marker and the operator both reports');

    const seen = op.events.map((e) => `${e.event} ${String(e.data.payload?.workCenter ?? e.data.payload?.operationId ?? '')}`);
    expect(seen.sort()).toEqual([
      `ProcessOperationsPerformance ${child.operations[0].id}`, // started
      `ProcessOperationsPerformance ${child.operations[0].id}`, // reported
      'mes.equipment.state-changed LACING',
    ]);
    const reported = op.events.find((e) => e.event === 'ProcessOperationsPerformance' && e.data.payload?.event === 'reported')!.data;
    expect(reported.correlationId).toBe(null);
    expect(reported.payload).toMatchObject({ salesOrderId: null, lineNo: null, goodQty: 2 });
    expect(reported.payload!.booked).toEqual({ laborMinutes: 30, machineMinutes: 30, energyKwh: 0 });

    const types = new Set(all.events.map((e) => e.event));
    for (const type of ['ProcessOperationsSchedule', 'AcknowledgeOperationsSchedule', 'ProcessOperationsPerformance', 'mes.equipment.state-changed']) expect(types.has(type), type).toBe(true);
    const managerReport = all.events.find((e) => e.event === 'ProcessOperationsPerformance' && e.data.payload?.event === 'reported')!;
    expect(managerReport.data.payload).toMatchObject({ salesOrderId: so, booked: { laborCost: expect.any(Number) } });
    op.close();
    all.close();
  });

  it('allows five streams per user; the sixth answers 429 with Retry-After', async () => {
    const planner = await t.userWith(['planner']);
    const five = await Promise.all([1, 2, 3, 4, 5].map(() => openStream(bearer(planner))));
    expect(five.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await openStream(bearer(planner));
    expect(sixth.status).toBe(429);
    expect(sixth.headers['retry-after']).toBe('5');
    five[0].close();
    await five[0].ended;
    let again: Stream | null = null;
    for (let i = 0; i < 50 && again?.status !== 200; i++) {
      again?.close();
      again = await openStream(bearer(planner));
    }
    expect(again!.status).toBe(200);
    for (const s of [...five, sixth, again!]) s.close();
  });

  it('ends the stream when the session ends: logout, a disabled user, a revoked key', async () => {
    const token = await t.userWith(['planner']);
    const byLogout = await openStream(bearer(token));
    expect((await t.as(token)('POST', '/api/v1/auth/logout')).status).toBe(200);
    await byLogout.ended;
    expect(byLogout.events.at(-1)).toEqual({ event: 'end', data: { reason: 'session ended' } });

    await ok(admin('POST', '/api/v1/users', { username: 'sse-dora', password: 'password-123', roles: ['supervisor'] }), 201);
    const dora = await openStream(bearer(await t.login('sse-dora', 'password-123')));
    await ok(admin('PATCH', '/api/v1/users/sse-dora', { disabled: true }));
    await dora.ended;
    expect(dora.events.at(-1)?.event).toBe('end');

    const key = await ok(admin('POST', '/api/v1/api-keys', { name: 'watcher', roles: ['integration', 'manager'] }), 201);
    const watcher = await openStream({ 'x-api-key': key.key });
    expect(watcher.status).toBe(200);
    await ok(admin('DELETE', `/api/v1/api-keys/${key.id}`));
    await watcher.ended;
    expect(watcher.events.at(-1)?.event).toBe('end');
  });

  it('drops a reader that does not keep up', async () => {
    const slow = await openStream(bearer(await t.userWith(['manager'])), { read: false });
    expect(slow.status).toBe(200);
    const filler = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 2_000 && !slow.res.destroyed && !slow.res.complete; i++) {
      t.app.hub.publish([{ id: randomUUID(), seq: i, type: 'SyncMaterialDefinition', source: 'erp', correlationId: null, occurredAt: new Date(), payload: { items: [], filler } }]);
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 10));
    }
    slow.res.resume();
    await slow.ended;
    expect(slow.res.complete).toBe(false); // cut off, not ended normally
  });
});
