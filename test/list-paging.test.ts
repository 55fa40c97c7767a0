import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert, type NewAlert } from '../src/platform/alerts/index.ts';
import { systemActor } from '../src/platform/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * The sales-order and alert lists page on the server (`?q=`, `sort=`, `limit`, `offset`, beside
 * their filters); without those parameters each answers as before. The MES side is played here.
 */
let t: TestApp;
let admin: TestApp['call'];
const at = '2026-11-20T08:00:00.000Z';

async function ok(method: string, url: string, body?: unknown, as = admin) {
  const r = await as(method, url, body);
  if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const ids = async (url: string, as = admin) => ((await ok('GET', url, undefined, as)) as { id: string | number }[]).map((r) => r.id);
const fromMes = async (type: string, payload: unknown, correlationId: string) => {
  await t.app.db.unitOfWork({ actor: systemActor, module: 'mes' }, async (u) => {
    u.emitRaw(type, payload, { correlationId });
  });
  await t.settle();
};

beforeAll(async () => {
  t = await startTestApp({ handlersOf: ['erp'] });
  admin = t.as(t.adminToken);
}, 60_000);
afterAll(() => t?.close());

describe('sales orders page over the API', () => {
  it('?q= searches id and customer (code or name), sort=id|-id|dueDate|-dueDate, limit/offset page, status kept; a page row is the order as read by id', async () => {
    await ok('POST', '/api/v1/erp/items', { code: 'SP-FG', name: 'Widget', kind: 'finished', uom: 'pcs', standardCost: 3 });
    await ok('POST', '/api/v1/erp/customers', { code: 'SP-ACME', name: 'Acme Works' });
    await ok('POST', '/api/v1/erp/customers', { code: 'SP-BOLT', name: 'Boltmakers' });
    const so: string[] = [];
    for (const [customer, dueDates] of [
      ['SP-ACME', ['2027-03-01']],
      ['SP-BOLT', ['2027-01-15', '2027-05-01']],
      ['SP-ACME', ['2027-02-01']],
      ['SP-BOLT', ['2027-04-01']],
    ] as const)
      so.push((await ok('POST', '/api/v1/erp/sales-orders', { customer, lines: dueDates.map((dueDate, i) => ({ itemCode: 'SP-FG', qty: 10 + i, dueDate })) })).id);

    expect(await ids('/api/v1/erp/sales-orders?q=sp-acme')).toEqual([so[2], so[0]]);
    expect(await ids('/api/v1/erp/sales-orders?q=boltmak&sort=id')).toEqual([so[1], so[3]]);
    expect(await ids(`/api/v1/erp/sales-orders?q=${so[3]}`)).toEqual([so[3]]);
    expect(await ids('/api/v1/erp/sales-orders?limit=3')).toEqual([so[3], so[2], so[1]]);
    expect(await ids('/api/v1/erp/sales-orders?limit=3&offset=3')).toEqual([so[0]]);
    expect(await ids('/api/v1/erp/sales-orders?sort=dueDate')).toEqual([so[1], so[2], so[0], so[3]]);
    expect(await ids('/api/v1/erp/sales-orders?sort=-dueDate&limit=2&offset=1')).toEqual([so[0], so[2]]);
    expect(await ids('/api/v1/erp/sales-orders?q=%25')).toEqual([]);

    // released and under way: planned dates, progress, a change request; the page says what the read by id says
    await ok('POST', `/api/v1/erp/sales-orders/${so[1]}/approve`);
    await fromMes('AcknowledgeOperationsSchedule', {
      salesOrderId: so[1],
      lines: [1, 2].map((lineNo) => ({
        lineNo,
        workOrders: [{ id: `${so[1]}-WO${lineNo}`, itemCode: 'SP-FG', qty: 10, parentWorkOrder: null, plannedStart: at, plannedEnd: '2026-12-20T16:00:00.000Z' }],
        plannedStart: at,
        plannedEnd: '2026-12-20T16:00:00.000Z',
        standard: { labor: 40, machine: 20 },
      })),
    }, so[1]);
    await fromMes('ProcessOperationsPerformance', {
      salesOrderId: so[1], lineNo: 1, workOrderId: `${so[1]}-WO1`, itemCode: 'SP-FG', top: true, event: 'reported', operationId: null, workOrderQty: 10, goodQty: 4, scrapQty: 1,
      booked: { laborMinutes: 0, machineMinutes: 0, energyKwh: 0, laborCost: 0, machineCost: 0, energyCost: 0 }, at,
    }, so[1]);
    await ok('PATCH', `/api/v1/erp/sales-orders/${so[1]}/lines/2`, { qty: 12 });
    const byId = await ok('GET', `/api/v1/erp/sales-orders/${so[1]}`);
    expect(byId).toMatchObject({ status: 'in_production' });
    expect(byId.lines[0]).toMatchObject({ plannedStart: at, producedQty: 4, progress: 0.4 });
    expect(byId.lines[1]).toMatchObject({ changeStatus: 'pending' });
    expect(await ok('GET', `/api/v1/erp/sales-orders?q=${so[1]}`)).toEqual([byId]);
    expect(await ok('GET', '/api/v1/erp/sales-orders?sort=id&limit=4')).toEqual(await Promise.all(so.map((id) => ok('GET', `/api/v1/erp/sales-orders/${id}`))));

    // the status filter is kept, with and without a page
    expect(await ids('/api/v1/erp/sales-orders?status=draft&sort=id&limit=2')).toEqual([so[0], so[2]]);
    expect(await ids('/api/v1/erp/sales-orders?status=draft&sort=id&limit=2&offset=2')).toEqual([so[3]]);
    expect(await ids('/api/v1/erp/sales-orders?status=in_production&q=sp-')).toEqual([so[1]]);
    const unpaged = await ok('GET', '/api/v1/erp/sales-orders?customer=SP-BOLT');
    expect(unpaged.map((o: { id: string }) => o.id)).toEqual([so[3], so[1]]);
    expect(await ok('GET', '/api/v1/erp/sales-orders?customer=SP-BOLT&limit=10')).toEqual(unpaged);
    expect((await ok('GET', '/api/v1/erp/sales-orders')).length).toBe(4);

    for (const bad of ['limit=0', 'limit=501', 'offset=-1', 'sort=customer', 'limit=ten', 'status=open'])
      expect((await admin('GET', `/api/v1/erp/sales-orders?${bad}`)).status, bad).toBe(400);
  });
});

describe('alerts page over the API', () => {
  const raise = (a: NewAlert) => t.app.db.unitOfWork({ actor: systemActor, module: 'erp' }, (uow) => raiseAlert(uow, a));

  it('?q= searches ref, message and kind; sort=id|-id|severity|-severity, limit/offset page; filters and who sees what as without a page', async () => {
    const a: number[] = [];
    for (const alert of [
      { kind: 'shortage', severity: 'warning', ref: 'AP-RAW-1', message: 'Short of AP-RAW-1' },
      { kind: 'equipment_down', severity: 'critical', ref: 'AP-CUT', message: 'Work centre AP-CUT is down', plant: 'P1' },
      { kind: 'reorder', severity: 'info', ref: 'AP-RAW-2', message: 'Reorder AP-RAW-2' },
      { kind: 'equipment_down', severity: 'warning', ref: 'AP-WELD', message: 'Work centre AP-WELD is down', plant: 'P2' },
      { kind: 'shortage', severity: 'critical', ref: 'AP-RAW-3', message: 'Short of AP-RAW-3', plant: 'P1' },
    ] as NewAlert[])
      a.push((await raise(alert))!);

    expect(await ids('/api/v1/alerts?q=ap-raw')).toEqual([a[4], a[2], a[0]]);
    expect(await ids('/api/v1/alerts?q=ap-&limit=2')).toEqual([a[4], a[3]]);
    expect(await ids('/api/v1/alerts?q=ap-&limit=2&offset=2')).toEqual([a[2], a[1]]);
    expect(await ids('/api/v1/alerts?q=ap-&limit=2&offset=4')).toEqual([a[0]]);
    expect(await ids('/api/v1/alerts?q=ap-&sort=id&limit=2')).toEqual([a[0], a[1]]);
    expect(await ids('/api/v1/alerts?q=ap-&sort=-severity')).toEqual([a[4], a[1], a[3], a[0], a[2]]);
    expect(await ids('/api/v1/alerts?q=ap-&sort=severity&limit=3')).toEqual([a[2], a[3], a[0]]);
    expect(await ids('/api/v1/alerts?q=equipment&kind=equipment_down')).toEqual([a[3], a[1]]);
    expect(await ids('/api/v1/alerts?q=is%20down&role=supervisor&limit=1&offset=1')).toEqual([a[1]]);

    await ok('POST', `/api/v1/alerts/${a[0]}/ack`);
    expect(await ids('/api/v1/alerts?q=ap-&open=true&kind=shortage')).toEqual([a[4]]);
    expect(await ids('/api/v1/alerts?q=ap-&open=false')).toEqual([a[0]]);
    const unpaged = (await ok('GET', '/api/v1/alerts?kind=shortage')) as { ref: string }[];
    expect(await ok('GET', '/api/v1/alerts?kind=shortage&limit=500')).toEqual(unpaged);
    expect(unpaged.filter((x) => x.ref.startsWith('AP-')).map((x) => x.ref)).toEqual(['AP-RAW-3', 'AP-RAW-1']);
    expect(unpaged.find((x) => x.ref === 'AP-RAW-1')).toMatchObject({ acknowledgedBy: expect.any(String), responseMinutes: expect.any(Number) });

    // each reader sees a page of what the whole list shows them: own role's alerts, within the plant scope
    const readers = [
      await t.userWith(['purchaser']),
      await t.userWith(['supervisor'], { plants: ['P1'] }),
      await t.userWith(['supervisor', 'purchaser'], { plants: ['P2'] }),
      await t.userWith(['supervisor'], { plants: ['P1'], workCenters: ['AP-CUT'] }),
      await t.userWith(['manager'], { plants: ['P1'] }),
    ].map((token) => t.as(token));
    const expected = [[a[4], a[2], a[0]], [a[1]], [a[3], a[2], a[0]], [], [a[4], a[2], a[1], a[0]]];
    for (const [i, reader] of readers.entries()) {
      const whole = (await ids('/api/v1/alerts', reader)).filter((id) => a.includes(Number(id)));
      expect(whole, `reader ${i}`).toEqual(expected[i]);
      expect(await ids('/api/v1/alerts?q=ap-&limit=50', reader), `reader ${i}`).toEqual(expected[i]);
    }
    expect(await ids('/api/v1/alerts?q=ap-&limit=1&offset=1', readers[0])).toEqual([a[2]]);

    for (const bad of ['limit=0', 'limit=501', 'offset=-1', 'sort=kind', 'open=yes', 'page=2'])
      expect((await admin('GET', `/api/v1/alerts?${bad}`)).status, bad).toBe(400);
  });
});
