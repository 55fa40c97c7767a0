import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { systemActor } from '../../platform/index.ts';
import type { GenealogyNode } from '../genealogy/store.ts';
import { applyPlannedDates, mesKpiFacts, mesPlanningInputs, mesReconcileView, performanceOfWorkOrder, workOrdersOfSalesOrder } from '../index.ts';
import { byItem, fromErp, receiveLot, releaseOrder, sent, setUpFactory } from '../../../test/support/mes-factory.ts';
import { OPERATION_STATUSES, WORK_ORDER_STATUSES, canMoveOperation, canMoveWorkOrder } from '../work-orders/model.ts';

let t: TestApp;
let admin: TestApp['call'];
let c: (s: string) => string;
const wos = async (so: string) => (await admin('GET', `/api/v1/mes/work-orders?salesOrder=${so}`)).body;

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  c = await setUpFactory(t, admin);
  await releaseOrder(t, 'SO-T', [{ itemCode: c('SB'), qty: 3 }, { itemCode: c('SB'), qty: 3 }]);
  await releaseOrder(t, 'SO-10', [{ itemCode: c('FG'), qty: 2 }]);
  await receiveLot(t, 'RM1-L1', c('RM1'), 100, 'STEELCO');
  await receiveLot(t, 'RM2-L1', c('RM2'), 50, 'PAINTCO');
  await receiveLot(t, 'RM1-SHORT', c('RM1'), 0.5);
  await receiveLot(t, 'RM1-HOLD', c('RM1'), 20);
  await fromErp(t, 'SyncMaterialLot', { lot: 'RM1-HOLD', itemCode: c('RM1'), status: 'hold', reason: 'supplier recall' });
}, 180_000);
afterAll(() => t?.close());

describe(`execution (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('pins the transition tables: exactly these moves are legal, every other pair is refused', () => {
    // written out by hand, not derived from the tables under test: a changed table fails here
    const workOrderMoves = ['released>in_progress', 'released>cancelled', 'in_progress>completed', 'in_progress>cancelled'];
    const operationMoves = ['pending>running', 'pending>cancelled', 'running>paused', 'running>done', 'running>cancelled', 'paused>running', 'paused>cancelled'];
    expect(WORK_ORDER_STATUSES).toEqual(['released', 'in_progress', 'completed', 'cancelled']);
    expect(OPERATION_STATUSES).toEqual(['pending', 'running', 'paused', 'done', 'cancelled']);
    for (const from of WORK_ORDER_STATUSES)
      for (const to of WORK_ORDER_STATUSES) expect(canMoveWorkOrder(from, to), `${from}>${to}`).toBe(workOrderMoves.includes(`${from}>${to}`));
    for (const from of OPERATION_STATUSES)
      for (const to of OPERATION_STATUSES) expect(canMoveOperation(from, to), `${from}>${to}`).toBe(operationMoves.includes(`${from}>${to}`));
  });

  it('allows every legal operation move and refuses every illegal one with 409', async () => {
    const [w1, w2] = await wos('SO-T');
    const op = w1.operations[0].id;
    const go = (action: string, body: object = {}) => admin('POST', `/api/v1/mes/operations/${op}/${action}`, action === 'report' ? { goodQty: 0, ...body } : body);
    const illegal = async (action: string, body?: object) => {
      const r = await go(action, body);
      expect(r.status, `${action} ${JSON.stringify(r.body)}`).toBe(409);
      expect(r.body.error.code).toBe('conflict');
    };
    // pending: only start
    await illegal('pause');
    await illegal('resume');
    await illegal('report');
    expect((await go('start', { operator: 'ann' })).status).toBe(200);
    expect((await admin('GET', `/api/v1/mes/work-orders/${w1.id}`)).body.status).toBe('in_progress');
    // running: start again is no move (another operator joins instead); resume is illegal
    await illegal('start');
    await illegal('start', { operator: 'ann' });
    expect((await go('start', { operator: 'bob' })).body.operators).toEqual(['ann', 'bob']);
    await illegal('resume');
    expect((await go('pause')).body).toMatchObject({ status: 'running', paused: true });
    // paused: resume only
    await illegal('pause');
    await illegal('start');
    await illegal('report');
    const shown = (await admin('GET', `/api/v1/mes/work-orders/${w1.id}`)).body.operations[0];
    expect(shown).toMatchObject({ status: 'running', paused: true });
    expect((await go('resume')).status).toBe(200);
    expect((await go('report', { goodQty: 3, complete: true })).status).toBe(200);
    // done: nothing
    for (const a of ['start', 'pause', 'resume', 'report']) await illegal(a);
    const done = (await admin('GET', `/api/v1/mes/work-orders/${w1.id}`)).body;
    expect(done.status).toBe('completed');
    expect((await admin('POST', `/api/v1/mes/work-orders/${w1.id}/cancel`, {})).status).toBe(409);
    // released → cancelled, then nothing
    const cancelled = await admin('POST', `/api/v1/mes/work-orders/${w2.id}/cancel`, {});
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect(cancelled.body.operations[0].status).toBe('cancelled');
    expect((await admin('POST', `/api/v1/mes/work-orders/${w2.id}/cancel`, {})).status).toBe(409);
    expect((await admin('POST', `/api/v1/mes/operations/${w2.operations[0].id}/start`, {})).status).toBe(409);
    expect((await admin('POST', `/api/v1/mes/work-orders/${w2.id}/consume`, { itemCode: c('RM1'), lot: 'RM1-L1', qty: 1 })).status).toBe(409);
  });

  it('validates consumption against the lot view: a held lot cannot be consumed', async () => {
    const sb = byItem(await wos('SO-10'), c('SB'));
    const consume = (body: object) => admin('POST', `/api/v1/mes/work-orders/${sb.id}/consume`, body);
    const held = await consume({ itemCode: c('RM1'), lot: 'RM1-HOLD', qty: 1 });
    expect(held.status).toBe(409);
    expect(held.body.error.details.reason).toBe('lot_on_hold');
    expect(held.body.error.message).toMatch(/supplier recall/);
    const short = await consume({ itemCode: c('RM1'), lot: 'RM1-SHORT', qty: 1 });
    expect(short.status).toBe(409);
    expect(short.body.error.details).toMatchObject({ reason: 'short', available: 0.5 });
    expect((await consume({ itemCode: c('RM1'), lot: 'NOPE', qty: 1 })).status).toBe(422);
    expect((await consume({ itemCode: c('RM2'), lot: 'RM1-L1', qty: 1 })).status).toBe(422);
    const ok = await consume({ itemCode: c('RM1'), lot: 'RM1-L1', qty: 1 });
    expect(ok.status).toBe(201);
    expect(ok.body.lotQtyLeft).toBe(99);
    const [actual] = await sent(t, 'ProcessMaterialActual', 'SO-10');
    expect(actual).toMatchObject({ workOrderId: sb.id, lot: 'RM1-L1', qty: 1, salesOrderId: 'SO-10' });
  });

  it('makes all three levels, refusing over-reporting, with one machine time for two operators and the rates in force', async () => {
    const list = await wos('SO-10');
    const [fg, sa, sb] = [byItem(list, c('FG')), byItem(list, c('SA')), byItem(list, c('SB'))];
    expect([fg.qty, sa.qty, sb.qty]).toEqual([2, 5, 5]);
    const op = (w: { operations: { id: string }[] }, i = 0) => w.operations[i].id;
    await admin('POST', `/api/v1/mes/operations/${op(sb)}/start`, { operator: 'ann' });
    const over = await admin('POST', `/api/v1/mes/operations/${op(sb)}/report`, { goodQty: 6 });
    expect(over.status).toBe(409);
    expect(over.body.error.details.reason).toBe('over_reporting');
    await admin('POST', `/api/v1/mes/operations/${op(sb)}/report`, { goodQty: 3 });
    const sbDone = await admin('POST', `/api/v1/mes/operations/${op(sb)}/report`, { goodQty: 2, complete: true });
    expect(sbDone.body.workOrder).toMatchObject({ status: 'completed', goodQty: 5 });
    const sbLot = sbDone.body.outputLots[0].lot;
    expect(sbLot).toMatch(new RegExp(`^${c('SB')}-\\d{8}-\\d{4}$`));
    const [produced] = (await sent(t, 'ProcessProducedLot', 'SO-10')).filter((p) => p.lot === sbLot);
    expect(produced).toMatchObject({ workOrderId: sb.id, itemCode: c('SB'), qty: 5, status: 'available', top: false, lineNo: 1 });

    await admin('POST', `/api/v1/mes/work-orders/${sa.id}/consume`, { itemCode: c('SB'), lot: sbLot, qty: 5 });
    await admin('POST', `/api/v1/mes/work-orders/${sa.id}/consume`, { itemCode: c('RM2'), lot: 'RM2-L1', qty: 7.5 });
    await admin('POST', `/api/v1/mes/operations/${op(sa)}/start`, { operator: 'ann' });
    await admin('POST', `/api/v1/mes/operations/${op(sa)}/start`, { operator: 'bob' });
    const saDone = await admin('POST', `/api/v1/mes/operations/${op(sa)}/report`, { goodQty: 5, scrapQty: 0, energyKwh: 2, complete: true });
    expect(saDone.body.booked).toMatchObject({ machineMinutes: 15, laborMinutes: 15, machineCost: 22.5, energyKwh: 2, energyCost: 0.24 });
    const saLot = saDone.body.outputLots[0].lot;

    expect((await admin('PATCH', `/api/v1/mes/work-centers/${c('ASM')}`, { costPerHour: 120 })).status).toBe(200);
    await admin('POST', `/api/v1/mes/work-orders/${fg.id}/consume`, { itemCode: c('SA'), lot: saLot, qty: 4 });
    await admin('POST', `/api/v1/mes/work-orders/${fg.id}/consume`, { itemCode: c('RM1'), lot: 'RM1-L1', qty: 1 });
    await admin('POST', `/api/v1/mes/operations/${op(fg)}/start`, {});
    expect((await admin('POST', `/api/v1/mes/operations/${op(fg)}/report`, { goodQty: 3 })).status).toBe(409);
    const asm = await admin('POST', `/api/v1/mes/operations/${op(fg)}/report`, { goodQty: 2, machineMinutes: 12, laborMinutes: 24 });
    expect(asm.body.booked).toMatchObject({ machineCost: 24, laborCost: 12 });
    await admin('POST', `/api/v1/mes/operations/${op(fg, 1)}/start`, {});
    const tooMany = await admin('POST', `/api/v1/mes/operations/${op(fg, 1)}/report`, { goodQty: 2, scrapQty: 1 });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.details).toMatchObject({ reason: 'over_reporting', passed: 2 });
    const early = await admin('POST', `/api/v1/mes/operations/${op(fg, 1)}/report`, { goodQty: 2, complete: true });
    expect(early.status).toBe(409);
    expect(early.body.error.details.reason).toBe('operations_open');
    await admin('POST', `/api/v1/mes/operations/${op(fg)}/report`, { goodQty: 0, complete: true });
    const fgDone = await admin('POST', `/api/v1/mes/operations/${op(fg, 1)}/report`, { goodQty: 2, complete: true });
    expect(fgDone.status).toBe(200);
    const fgLot = fgDone.body.outputLots[0].lot;
    const shown = (await admin('GET', `/api/v1/mes/work-orders/${fg.id}`)).body;
    expect(shown).toMatchObject({ status: 'completed', goodQty: 2, scrapQty: 0, outputLots: [{ lot: fgLot, qty: 2 }] });

    const perf = await sent(t, 'ProcessOperationsPerformance', 'SO-10');
    expect(perf.every((p) => p._correlationId === 'SO-10' && p.salesOrderId === 'SO-10')).toBe(true);
    expect(perf.filter((p) => p.event === 'completed').map((p) => p.workOrderId)).toEqual([sb.id, sa.id, fg.id]);
    expect(perf.at(-1)).toMatchObject({ top: true, goodQty: 2, workOrderQty: 2 });
    const history = await t.app.db.unitOfWork({ actor: systemActor, module: 'integration' }, (u) => performanceOfWorkOrder(u, sa.id));
    expect(history.reports[0]).toMatchObject({ machineRate: 90, laborRate: 30 });
    expect(history.operators.map((o) => o.operator)).toEqual(['ann', 'bob']);
    expect(history.consumed.map((x) => x.lot).sort()).toEqual(['RM2-L1', sbLot].sort());

    // genealogy, three levels both ways
    const back = await admin('GET', `/api/v1/trace/lots/${fgLot}?direction=backward`);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ lot: fgLot, itemCode: c('FG'), qty: 2, workOrder: fg.id, salesOrders: ['SO-10'] });
    const kids = (n: GenealogyNode) => n.children.map((x) => x.lot).sort();
    expect(kids(back.body)).toEqual(['RM1-L1', saLot].sort());
    const saNode = back.body.children.find((x: GenealogyNode) => x.lot === saLot);
    expect(saNode).toMatchObject({ qty: 4, workOrder: sa.id });
    expect(kids(saNode)).toEqual(['RM2-L1', sbLot].sort());
    const sbNode = saNode.children.find((x: GenealogyNode) => x.lot === sbLot);
    expect(sbNode.children).toEqual([{ lot: 'RM1-L1', itemCode: c('RM1'), qty: 1, supplier: 'STEELCO', children: [] }]);
    const fwd = await admin('GET', '/api/v1/trace/lots/RM1-L1?direction=forward');
    expect(kids(fwd.body)).toEqual([fgLot, sbLot].sort());
    const viaSb = fwd.body.children.find((x: GenealogyNode) => x.lot === sbLot);
    expect(viaSb.children[0].lot).toBe(saLot);
    expect(viaSb.children[0].children[0]).toMatchObject({ lot: fgLot, salesOrders: ['SO-10'] });
    expect((await admin('GET', '/api/v1/trace/lots/NOPE')).status).toBe(404);
  });

  it('offers other modules a read API: planning inputs, planned dates, reconciliation, KPI facts, export detail', async () => {
    const db = t.app.db;
    await releaseOrder(t, 'SO-R', [{ itemCode: c('FG'), qty: 1 }]);
    const inputs = await mesPlanningInputs(db);
    const open = inputs.workOrders.filter((w) => w.salesOrder === 'SO-R');
    expect(open).toHaveLength(3);
    const top = open.find((w) => w.parentWorkOrder === null)!;
    expect(inputs.precedence.filter((p) => p.after === top.id)).toHaveLength(1);
    expect(top.operations.map((o) => o.durationMinutes)).toEqual([15, 1]);
    expect(inputs.workCenters.find((w) => w.code === c('CUT'))!.calendar.shifts).toHaveLength(5);
    const start = new Date('2030-01-07T08:00:00Z').getTime();
    const plan = { operations: top.operations.map((o, i) => ({ id: o.id, start: new Date(start + i * 3_600_000).toISOString(), end: new Date(start + (i + 0.5) * 3_600_000).toISOString() })) };
    const applied = await db.unitOfWork({ actor: systemActor, module: 'planning' }, (u) => applyPlannedDates(u, plan));
    expect(applied).toMatchObject({ workOrders: 1, operations: 2, salesOrders: ['SO-R'] });
    const [wo] = (await workOrdersOfSalesOrder(db, 'SO-R')).filter((w) => w.id === top.id);
    expect(wo).toMatchObject({ plannedStart: '2030-01-07T08:00:00.000Z', plannedEnd: '2030-01-07T09:30:00.000Z' });
    // one rule for component quantity: 2 × 1.1 = 2.2 pieces of SA, whole units rounded up (as its work order)
    expect(wo.materials).toEqual([{ itemCode: c('SA'), qty: 3 }, { itemCode: c('RM1'), qty: 0.5 }]);
    expect((await sent(t, 'SyncOperationsSchedule', 'SO-R')).at(-1).lines[0].workOrders[0].plannedEnd).toBe('2030-01-07T09:30:00.000Z');
    const rec = await mesReconcileView(db);
    expect(rec.workOrders.filter((w) => w.salesOrder === 'SO-10').map((w) => w.status)).toEqual(['completed', 'completed', 'completed']);
    expect(rec.consumed.find((x) => x.lot === 'RM2-L1')).toMatchObject({ qty: 7.5, salesOrder: 'SO-10' });
    expect(rec.lots.find((l) => l.lot === 'RM1-L1')).toMatchObject({ qty: 98, status: 'available' });
    const kpi = await mesKpiFacts(db, { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' });
    expect(kpi.wipQty).toBeGreaterThan(0);
    expect(kpi.firstPassYield).toBeGreaterThan(0);
  });
});
