import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { oee, stateMinutes } from '../equipment/model.ts';
import type { firstPassYield } from './service.ts';
import { byItem, fromErp, releaseOrder, sent, setUpFactory } from '../../../test/support/mes-factory.ts';

let t: TestApp;
let admin: TestApp['call'];
let c: (s: string) => string;
type FirstPassView = Awaited<ReturnType<typeof firstPassYield>>[number];
const clock = { at: new Date('2026-06-01T07:00:00Z'), now() { return new Date(this.at); } };
const wos = async (so: string) => (await admin('GET', `/api/v1/mes/work-orders?salesOrder=${so}`)).body;
const run = async (opId: string, body: object) => {
  expect((await admin('POST', `/api/v1/mes/operations/${opId}/start`, {})).status).toBe(200);
  const r = await admin('POST', `/api/v1/mes/operations/${opId}/report`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = t.as(t.adminToken);
  c = await setUpFactory(t, admin);
  await fromErp(t, 'SyncMaterialDefinition', {
    items: [
      { code: 'QI', name: 'Inspected between', kind: 'finished', uom: 'pcs', standardCost: 1, leadTimeDays: 0 },
      { code: 'QL', name: 'Inspected last', kind: 'finished', uom: 'pcs', standardCost: 1, leadTimeDays: 0 },
    ],
  });
  await admin('PUT', '/api/v1/mes/routings/QI', {
    operations: [
      { seq: 10, name: 'make', workCenter: c('ASM'), setupMinutes: 0, minutesPerUnit: 1, inspectionRequired: true },
      { seq: 20, name: 'pack', workCenter: c('PACK'), setupMinutes: 0, minutesPerUnit: 1 },
    ],
  });
  await admin('PUT', '/api/v1/mes/routings/QL', { operations: [{ seq: 10, name: 'make', workCenter: c('PACK'), setupMinutes: 0, minutesPerUnit: 1, inspectionRequired: true }] });
}, 180_000);
afterAll(() => t?.close());

describe(`quality and equipment (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('needs a passed inspection before the next operation starts', async () => {
    await releaseOrder(t, 'SO-QI', [{ itemCode: 'QI', qty: 5 }]);
    const [wo] = await wos('SO-QI');
    await run(wo.operations[0].id, { goodQty: 5, complete: true });
    const blocked = await admin('POST', `/api/v1/mes/operations/${wo.operations[1].id}/start`, {});
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.details.reason).toBe('inspection_required');
    const bad = await admin('POST', '/api/v1/mes/inspections', {
      workOrder: wo.id, operation: wo.operations[0].id, result: 'pass', measurements: [{ name: 'length', value: 10.4, min: 9.9, max: 10.1 }],
    });
    expect(bad.status).toBe(422);
    const ok = await admin('POST', '/api/v1/mes/inspections', {
      workOrder: wo.id, operation: wo.operations[0].id, result: 'pass', measurements: [{ name: 'length', value: 10, min: 9.9, max: 10.1 }],
    });
    expect(ok.status).toBe(201);
    const done = await run(wo.operations[1].id, { goodQty: 5, complete: true });
    expect(done.outputLots[0]).toMatchObject({ qty: 5, status: 'available' });
  });

  it('fail → hold in the MES, an alert and a SyncMaterialLot for the ERP → release (the ERP side: test/closed-loop)', async () => {
    await releaseOrder(t, 'SO-QL', [{ itemCode: 'QL', qty: 4 }]);
    const [wo] = await wos('SO-QL');
    const done = await run(wo.operations[0].id, { goodQty: 4, complete: true });
    const lot = done.outputLots[0].lot;
    expect(done.outputLots[0].status).toBe('hold');
    expect((await sent(t, 'ProcessProducedLot', 'SO-QL'))[0]).toMatchObject({ lot, status: 'hold' });
    const fail = await admin('POST', '/api/v1/mes/inspections', { workOrder: wo.id, lot, result: 'fail', defects: [{ code: 'SCRATCH', qty: 2 }], note: 'scratches' });
    expect(fail.status).toBe(201);
    expect(fail.body.lotStatus).toBe('hold');
    await t.settle();
    const [hold] = await sent(t, 'SyncMaterialLot', 'SO-QL');
    expect(hold).toMatchObject({ lot, itemCode: 'QL', status: 'hold', qty: 4 });
    const alerts = (await admin('GET', '/api/v1/alerts?kind=quality_hold')).body;
    expect(alerts.find((a: { ref: string }) => a.ref === lot)).toMatchObject({ role: 'inspector' });
    expect((await admin('GET', `/api/v1/mes/lots/${lot}`)).body).toMatchObject({ status: 'hold', holdReason: 'inspection_failed' });
    // a held lot cannot be consumed
    await releaseOrder(t, 'SO-USE', [{ itemCode: c('SB'), qty: 1 }]);
    const [user] = await wos('SO-USE');
    const refused = await admin('POST', `/api/v1/mes/work-orders/${user.id}/consume`, { itemCode: 'QL', lot, qty: 1 });
    expect(refused.status).toBe(409);
    // inspectors decide; operators may not
    const operator = await t.userWith(['operator']);
    expect((await t.as(operator)('POST', `/api/v1/mes/lots/${lot}/disposition`, { decision: 'release' })).status).toBe(403);
    const released = await admin('POST', `/api/v1/mes/lots/${lot}/disposition`, { decision: 'release' });
    expect(released.body).toMatchObject({ lot, status: 'available', qty: 4 });
    await t.settle();
    expect((await sent(t, 'SyncMaterialLot', 'SO-QL')).map((m) => m.status)).toEqual(['hold', 'available']);
    expect((await admin('GET', `/api/v1/mes/lots/${lot}`)).body.status).toBe('available');
    expect((await admin('POST', `/api/v1/mes/lots/${lot}/disposition`, { decision: 'reject' })).status).toBe(409);
    const fpy = (await admin('GET', '/api/v1/mes/quality/first-pass-yield')).body;
    expect(fpy.find((r: FirstPassView) => r.itemCode === 'QL')).toMatchObject({ workCenter: c('PACK'), firstPassYield: 0, totalQty: 4 });
    expect(fpy.find((r: FirstPassView) => r.itemCode === 'QI' && r.workCenter === c('ASM'))).toMatchObject({ firstPassYield: 1 });
  });

  it('computes state minutes and OEE by the definition', () => {
    const at = (h: string) => new Date(`2026-06-01T${h}:00Z`);
    const m = stateMinutes(
      [{ state: 'idle', at: at('07:30') }, { state: 'running', at: at('08:00') }, { state: 'down', at: at('10:00') }, { state: 'running', at: at('10:30') }, { state: 'idle', at: at('11:30') }],
      at('08:00'),
      at('12:00'),
    );
    expect(m).toEqual({ running: 180, down: 30, idle: 30 });
    expect(oee({ runningMinutes: 0, downMinutes: 0, idealMinutes: 0, goodQty: 0, scrapQty: 0 })).toEqual({ availability: 0, performance: 0, quality: 0, oee: 0 });
  });

  it('gives OEE of a work centre on a hand-computed example, and a down raises equipment_down', async () => {
    const wc = c('CUT');
    const event = (state: string, hhmm: string, reason?: string) =>
      admin('POST', '/api/v1/mes/equipment-events', { workCenter: wc, state, reason, at: `2026-06-01T${hhmm}:00Z` });
    await event('idle', '07:30');
    await event('running', '08:00');
    const down = await event('down', '10:00', 'spindle');
    expect(down.status).toBe(201);
    await event('running', '10:30');
    await event('idle', '11:30');
    const alert = (await admin('GET', '/api/v1/alerts?kind=equipment_down')).body.find((a: { ref: string }) => a.ref === wc);
    expect(alert).toMatchObject({ role: 'supervisor', severity: 'critical' });
    expect(alert.message).toMatch(/spindle/);
    // 66 pieces counted at 2 ideal minutes each, 60 good, while the clock says 11:00
    await releaseOrder(t, 'SO-OEE', [{ itemCode: c('SB'), qty: 70 }]);
    const [wo] = await wos('SO-OEE');
    clock.at = new Date('2026-06-01T11:00:00Z');
    await run(wo.operations[0].id, { goodQty: 60, scrapQty: 6, scrapReason: 'BURR' });
    const r = await admin('GET', `/api/v1/mes/work-centers/${wc}/oee?from=2026-06-01T08:00:00Z&to=2026-06-01T12:00:00Z`);
    expect(r.status).toBe(200);
    // availability 180/(180+30); performance 132/180; quality 60/66; OEE = 132/210 × 60/66 = 4/7
    expect(r.body).toMatchObject({ availability: 0.8571, performance: 0.7333, quality: 0.9091, oee: 0.5714 });
    const unknown = await admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'NOPE', state: 'down' });
    expect(unknown.status).toBe(422);
    expect(byItem([wo], c('SB')).qty).toBe(70);
  });
});
