import mqtt from 'mqtt';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRuntime } from '../src/collect/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * The closed loop from a machine: counts published over MQTT become production reports in the
 * MES and move the ERP order's progress; states become OEE input. Only the public contract is used.
 */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let t: TestApp;
let admin: TestApp['call'];
let client: mqtt.MqttClient;

beforeAll(async () => {
  t = await startTestApp({ config: { mqttPort: await freePort(), mqttAuth: false } });
  admin = t.as(t.adminToken);
  client = await mqtt.connectAsync(`mqtt://127.0.0.1:${collectRuntime(t.app.deps).mqttPort}`, { reconnectPeriod: 0 });
});
afterAll(async () => {
  await client?.endAsync();
  await t?.close();
});

async function ok(r: Promise<{ status: number; body: any }>, status = [200, 201, 202]) {
  const res = await r;
  if (!status.includes(res.status)) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function flushed() {
  await collectRuntime(t.app.deps).pipeline.drain();
  await t.settle();
}

describe(`machines close the loop over MQTT (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let salesOrder: string;
  let operation: string;

  beforeAll(async () => {
    await ok(admin('POST', '/api/v1/erp/items', { code: 'RIM-622', name: 'Rim 622 mm', kind: 'raw', uom: 'pcs', standardCost: 12 }));
    await ok(admin('POST', '/api/v1/erp/items', { code: 'WHEEL-F', name: 'Front wheel', kind: 'finished', uom: 'pcs', standardCost: 60 }));
    await ok(admin('PUT', '/api/v1/erp/boms/WHEEL-F', { components: [{ itemCode: 'RIM-622', qty: 1 }] }));
    await ok(admin('POST', '/api/v1/mes/work-centers', { code: 'LACE-1', name: 'Lacing cell 1', costPerHour: 40 }));
    await ok(admin('PUT', '/api/v1/mes/routings/WHEEL-F', { operations: [{ seq: 10, name: 'Lace and true', workCenter: 'LACE-1', setupMinutes: 5, minutesPerUnit: 2 }] }));
    await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'RIM-622', qty: 50, lot: 'RIM-L1', unitCost: 12 }));
    await ok(admin('POST', '/api/v1/erp/customers', { code: 'VELO', name: 'Velo Shop' }));
    const so = await ok(admin('POST', '/api/v1/erp/sales-orders', { customer: 'VELO', lines: [{ itemCode: 'WHEEL-F', qty: 10, dueDate: '2027-03-01' }] }));
    salesOrder = so.id;
    await ok(admin('POST', `/api/v1/erp/sales-orders/${salesOrder}/approve`));
    await t.settle();
    const [wo] = await ok(admin('GET', `/api/v1/mes/work-orders?salesOrder=${salesOrder}`));
    operation = wo.operations[0].id;
    await ok(admin('POST', `/api/v1/mes/operations/${operation}/start`, {}));
    await t.settle();
  });

  it('a count from the machine becomes a report on the running operation and moves the order', async () => {
    await client.publishAsync('closeloop/v1/main/LACE-1/count', JSON.stringify({ good: 4, scrap: 1 }), { qos: 1 });
    await flushed();
    const [wo] = await ok(admin('GET', `/api/v1/mes/work-orders?salesOrder=${salesOrder}`));
    expect(wo.operations[0]).toMatchObject({ status: 'running', goodQty: 4, scrapQty: 1 });
    const so = await ok(admin('GET', `/api/v1/erp/sales-orders/${salesOrder}`));
    expect(so.status).toBe('in_production');
    expect(so.lines[0]).toMatchObject({ producedQty: 4, scrappedQty: 1 });
    expect(so.lines[0].progress).toBeCloseTo(0.4, 5);
    const stats = await ok(admin('GET', '/api/v1/collect/stats'));
    expect(stats).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('a count for a work centre with nothing running is kept as a dead letter', async () => {
    await ok(admin('POST', '/api/v1/mes/work-centers', { code: 'SPOKE-1', name: 'Spoke cutting', costPerHour: 30 }));
    await client.publishAsync('closeloop/v1/main/SPOKE-1/count', JSON.stringify({ good: 2 }), { qos: 1 });
    await flushed();
    const stats = await ok(admin('GET', '/api/v1/collect/stats'));
    expect(stats.rejected).toBe(1);
    const dead = await t.app.db.query<{ reason: string }>(`select reason from platform.dead_letters where payload->>'workCenter' = 'SPOKE-1'`);
    expect(dead).toHaveLength(1);
  });

  it('machine states become the availability of OEE', async () => {
    const t0 = Date.now() - 60 * 60_000;
    const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
    await client.publishAsync('closeloop/v1/main/LACE-1/state', JSON.stringify({ state: 'running', at: at(0) }), { qos: 1 });
    await client.publishAsync('closeloop/v1/main/LACE-1/state', JSON.stringify({ state: 'down', reason: 'wheel truing stand jammed', at: at(30) }), { qos: 1 });
    await client.publishAsync('closeloop/v1/main/LACE-1/state', JSON.stringify({ state: 'running', at: at(45) }), { qos: 1 });
    await flushed();
    const oee = await ok(admin('GET', `/api/v1/mes/work-centers/LACE-1/oee?from=${at(0)}&to=${at(60)}`));
    // running 0–30, down 30–45, running 45–60: 45 of 60 minutes available
    expect(oee.availability).toBeCloseTo(0.75, 9);
    expect(collectRuntime(t.app.deps).pipeline.stats.rejected).toBe(1);
  });
});
