import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { byItem, fromErp, releaseOrder, sent, setUpFactory } from '../../../test/support/mes-factory.ts';

let t: TestApp;
let admin: TestApp['call'];
let c: (s: string) => string;
const wos = async (so: string, call = admin) => (await call('GET', `/api/v1/mes/work-orders?salesOrder=${so}`)).body;
const change = (salesOrderId: string, changeId: string, body: object) => fromErp(t, 'ChangeOperationsSchedule', { salesOrderId, changeId, lineNo: 1, ...body }, salesOrderId);
const answer = async (changeId: string) => (await sent(t, 'RespondOperationsSchedule')).find((r) => r.changeId === changeId);
const act = async (opId: string, action: string, body: object = {}) => {
  const r = await admin('POST', `/api/v1/mes/operations/${opId}/${action}`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  c = await setUpFactory(t, admin);
}, 180_000);
afterAll(() => t?.close());

describe(`order changes and data scope (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('refuses a cut below what was started or produced, grows every level on an increase, replans on a new due date, and cancels', async () => {
    await releaseOrder(t, 'SO-C', [{ itemCode: c('FG'), qty: 10 }]);
    let [fg, sa, sb] = ['FG', 'SA', 'SB'].map(() => null as any);
    const load = async () => {
      const list = await wos('SO-C');
      [fg, sa, sb] = [byItem(list, c('FG')), byItem(list, c('SA')), byItem(list, c('SB'))];
    };
    await load();
    await act(sb.operations[0].id, 'start');
    await act(sb.operations[0].id, 'report', { goodQty: 20 });
    await act(fg.operations[0].id, 'start');
    await act(fg.operations[0].id, 'report', { goodQty: 3 });

    await change('SO-C', 'CH-1', { qty: 2 });
    expect(await answer('CH-1')).toMatchObject({ accepted: false, lineNo: 1 });
    expect((await answer('CH-1')).reason).toMatch(/3 already started/);

    await change('SO-C', 'CH-2', { qty: 12 });
    const grown = await answer('CH-2');
    expect(grown.accepted).toBe(true);
    await load();
    expect([fg.qty, sa.qty, sb.qty]).toEqual([12, 27, 27]);
    expect(grown.workOrders.map((w: any) => [w.itemCode, w.qty, w.newQty])).toEqual([
      [c('FG'), 10, 12],
      [c('SA'), 22, 27],
      [c('SB'), 22, 27],
    ]);
    const sync = (await sent(t, 'SyncOperationsSchedule', 'SO-C')).at(-1);
    expect(sync.lines[0].workOrders.map((w: any) => w.qty)).toEqual([12, 27, 27]);

    await act(fg.operations[1].id, 'start');
    await act(fg.operations[1].id, 'report', { goodQty: 3 });
    await change('SO-C', 'CH-3', { qty: 2 });
    expect((await answer('CH-3')).reason).toMatch(/3 already produced/);

    const before = fg.plannedEnd;
    await change('SO-C', 'CH-4', { dueDate: '2027-03-01' });
    expect(await answer('CH-4')).toMatchObject({ accepted: true });
    expect((await sent(t, 'SyncOperationsSchedule', 'SO-C')).length).toBe(2);
    await load();
    expect(fg.dueDate).toBe('2027-03-01');
    expect(fg.plannedEnd).toBeTruthy();
    expect(before).toBeTruthy();

    await act(sb.operations[0].id, 'report', { goodQty: 0, complete: true });
    await fromErp(t, 'CancelOperationsSchedule', { salesOrderId: 'SO-C', changeId: 'CX-1' }, 'SO-C');
    const cancel = await answer('CX-1');
    await load();
    expect(cancel.accepted).toBe(true);
    expect([fg.status, sa.status, sb.status]).toEqual(['cancelled', 'cancelled', 'completed']);
    expect(cancel.alreadyMade).toEqual([{ itemCode: c('SB'), lot: sb.outputLots[0].lot, qty: 20 }]);
    expect(fg.operations.map((o: any) => o.status)).toEqual(['cancelled', 'cancelled']);
    expect(cancel.workOrders.find((w: any) => w.id === fg.id)).toMatchObject({ status: 'cancelled', goodQty: 3 });
  });

  it('answers a change of an unknown line with a refusal', async () => {
    await change('SO-NONE', 'CH-9', { qty: 5 });
    expect(await answer('CH-9')).toMatchObject({ accepted: false, reason: 'no work orders for line 1' });
  });

  it('shows and lets an operator act only within the work centres of their scope', async () => {
    await releaseOrder(t, 'SO-S', [{ itemCode: c('FG'), qty: 1 }]);
    const all = await wos('SO-S');
    const op = await t.userWith(['operator'], { workCenters: [c('CUT')] });
    const as = t.as(op);
    const mine = await wos('SO-S', as);
    expect(mine.map((w: any) => w.itemCode)).toEqual([c('SB')]);
    expect(mine[0].operations.map((o: any) => o.workCenter)).toEqual([c('CUT')]);
    expect((await as('GET', '/api/v1/mes/work-centers')).body.map((w: any) => w.code)).toEqual([c('CUT')]);
    const fg = byItem(all, c('FG'));
    const sb = byItem(all, c('SB'));
    expect((await as('GET', `/api/v1/mes/work-orders/${fg.id}`)).status).toBe(403);
    const outside = await as('POST', `/api/v1/mes/operations/${fg.operations[0].id}/start`, {});
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('forbidden');
    expect((await as('POST', `/api/v1/mes/operations/${sb.operations[0].id}/start`, { operator: 'op-1' })).status).toBe(200);
    expect((await as('POST', '/api/v1/mes/equipment-events', { workCenter: c('ASM'), state: 'down' })).status).toBe(403);
    expect((await as('POST', '/api/v1/mes/equipment-events', { workCenter: c('CUT'), state: 'running' })).status).toBe(201);
    expect((await as('GET', `/api/v1/mes/work-centers/${c('ASM')}/oee`)).status).toBe(403);
    await admin('POST', '/api/v1/mes/equipment-events', { workCenter: c('ASM'), state: 'idle' });
    expect((await as('GET', '/api/v1/mes/equipment-events')).body.map((e: any) => e.workCenter)).toEqual([c('CUT')]);
    expect((await as('POST', `/api/v1/mes/work-orders/${fg.id}/consume`, { itemCode: c('RM1'), lot: 'x', qty: 1 })).status).toBe(403);
    await fromErp(t, 'SyncMaterialLot', { lot: 'S-L1', itemCode: c('RM1'), status: 'available', qty: 5 });
    expect((await as('POST', `/api/v1/mes/work-orders/${sb.id}/consume`, { itemCode: c('RM1'), lot: 'S-L1', qty: 1 })).status).toBe(201);
  });
});
