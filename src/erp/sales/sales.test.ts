import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Payload } from '../../messages/index.ts';
import { systemActor } from '../../platform/index.ts';

let t: TestApp;
let admin: TestApp['call'];
const at = '2026-11-20T08:00:00.000Z';

/** An entry of GET …/journal, as far as these tests read it. */
interface JournalEntryView {
  memo: string;
  lines: { debit: number }[];
}

async function fromMes(type: string, payload: unknown, correlationId: string | null = null) {
  await t.app.db.unitOfWork({ actor: systemActor, module: 'mes' }, async (u) => {
    u.emitRaw(type, payload, { correlationId });
  });
  await t.settle();
}

const newOrder = async (qty = 10, dueDate = '2026-12-31') => {
  const r = await admin('POST', '/api/v1/erp/sales-orders', { customer: 'S-CUST', lines: [{ itemCode: 'S-FG', qty, dueDate }] });
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const ackPayload = (id: string, plannedEnd = '2026-12-20T16:00:00.000Z') => ({
  salesOrderId: id,
  lines: [
    {
      lineNo: 1,
      workOrders: [
        { id: `${id}-WO1`, itemCode: 'S-FG', qty: 10, parentWorkOrder: null, plannedStart: at, plannedEnd },
        { id: `${id}-WO2`, itemCode: 'S-SUB', qty: 20, parentWorkOrder: `${id}-WO1`, plannedStart: at, plannedEnd },
      ],
      plannedStart: at,
      plannedEnd,
      standard: { labor: 40, machine: 20 },
    },
  ],
});
const ack = (id: string, plannedEnd = '2026-12-20T16:00:00.000Z') => fromMes('AcknowledgeOperationsSchedule', ackPayload(id, plannedEnd), id);
const perf = (id: string, good: number, event = 'reported') =>
  fromMes(
    'ProcessOperationsPerformance',
    {
      salesOrderId: id, lineNo: 1, workOrderId: `${id}-WO1`, itemCode: 'S-FG', top: true, event, operationId: null, workOrderQty: 10, goodQty: good, scrapQty: 1,
      booked: { laborMinutes: 0, machineMinutes: 0, energyKwh: 0, laborCost: 0, machineCost: 0, energyCost: 0 }, at,
    },
    id,
  );
const get = async (id: string) => (await admin('GET', `/api/v1/erp/sales-orders/${id}`)).body;
const respond = async (id: string, accepted: boolean, reason: string) => {
  const [c] = await t.app.db.query<{ id: string; line_no: number | null }>(`select id, line_no from erp.sales_order_changes where order_id = $1 and status = 'pending'`, [id]);
  await fromMes('RespondOperationsSchedule', { salesOrderId: id, changeId: c.id, lineNo: c.line_no, accepted, reason, workOrders: [] }, id);
};

beforeAll(async () => {
  t = await startTestApp({ handlersOf: ['erp'] });
  admin = t.as(t.adminToken);
  await admin('POST', '/api/v1/erp/items', { code: 'S-SUB', name: 'Sub', kind: 'semi', uom: 'pcs', standardCost: 1 });
  await admin('POST', '/api/v1/erp/items', { code: 'S-FG', name: 'Widget', kind: 'finished', uom: 'pcs' });
  await admin('PUT', '/api/v1/erp/boms/S-FG', { components: [{ itemCode: 'S-SUB', qty: 2 }] });
  await admin('POST', '/api/v1/erp/customers', { code: 'S-CUST', name: 'ACME' });
});
afterAll(() => t?.close());

describe(`sales orders (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('approval releases the order and requests production with the BOM version in force', async () => {
    const id = await newOrder();
    expect(await get(id)).toMatchObject({ id, customer: 'S-CUST', status: 'draft', lines: [{ lineNo: 1, itemCode: 'S-FG', qty: 10, dueDate: '2026-12-31', producedQty: 0, progress: 0, changeStatus: null }] });
    const r = await admin('POST', `/api/v1/erp/sales-orders/${id}/approve`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('released');
    // the answer is built without a second read: it must be what a read shows
    expect(r.body).toEqual(await get(id));
    expect(r.body.lines[0]).toMatchObject({ bomVersion: 1 });
    expect(r.body.releasedAt).toBeTruthy();
    const [line] = await t.app.db.query<{ standard_material: string }>('select standard_material from erp.sales_order_lines where order_id = $1', [id]);
    expect(Number(line.standard_material)).toBe(20); // 10 × the rolled-up standard cost (2 × S-SUB at 1)
    const [m] = await t.app.db.query<{ payload: Payload<'ProcessOperationsSchedule'>; correlation_id: string }>(`select payload, correlation_id from platform.outbox where type = 'ProcessOperationsSchedule' and payload->>'salesOrderId' = $1`, [id]);
    expect(m.correlation_id).toBe(id);
    expect(m.payload.requests).toEqual([{ lineNo: 1, itemCode: 'S-FG', qty: 10, dueDate: '2026-12-31', bomVersion: 1, priority: 0 }]);
  });

  it('refuses every move the transition table does not have (409)', async () => {
    const draft = await newOrder();
    expect((await admin('POST', `/api/v1/erp/sales-orders/${draft}/ship`)).status).toBe(409);
    expect((await admin('POST', `/api/v1/erp/sales-orders/${draft}/approve`)).status).toBe(200);
    expect((await admin('POST', `/api/v1/erp/sales-orders/${draft}/approve`)).status).toBe(409); // released → released
    expect((await admin('POST', `/api/v1/erp/sales-orders/${draft}/ship`)).status).toBe(409); // released → shipped
    await ack(draft);
    await perf(draft, 2, 'started');
    expect((await get(draft)).status).toBe('in_production');
    expect((await admin('POST', `/api/v1/erp/sales-orders/${draft}/approve`)).status).toBe(409);
    expect((await admin('POST', `/api/v1/erp/sales-orders/${draft}/ship`)).status).toBe(409); // in_production → shipped

    const cancelledDraft = await newOrder();
    expect((await admin('POST', `/api/v1/erp/sales-orders/${cancelledDraft}/cancel`)).body.status).toBe('cancelled');
    for (const action of ['approve', 'ship', 'cancel']) expect((await admin('POST', `/api/v1/erp/sales-orders/${cancelledDraft}/${action}`)).status).toBe(409);
    expect((await admin('PATCH', `/api/v1/erp/sales-orders/${cancelledDraft}/lines/1`, { qty: 3 })).status).toBe(409);

    // completed: only shipping is left
    await fromMes('ProcessProducedLot', { salesOrderId: draft, lineNo: 1, workOrderId: `${draft}-WO1`, top: true, itemCode: 'S-FG', lot: `${draft}-F`, qty: 10, status: 'available', at }, draft);
    expect((await get(draft)).status).toBe('completed');
    for (const action of ['approve', 'cancel']) expect((await admin('POST', `/api/v1/erp/sales-orders/${draft}/${action}`)).status).toBe(409);
    expect((await admin('PATCH', `/api/v1/erp/sales-orders/${draft}/lines/1`, { qty: 3 })).status).toBe(409);
    expect((await admin('POST', `/api/v1/erp/sales-orders/${draft}/ship`)).status).toBe(200);
    expect((await get(draft)).status).toBe('shipped');
    for (const action of ['approve', 'cancel', 'ship']) expect((await admin('POST', `/api/v1/erp/sales-orders/${draft}/${action}`)).status).toBe(409);
  });

  it('plans from the acknowledgement, follows progress, and warns the planner of a late plan', async () => {
    const id = await newOrder(10, '2026-12-10');
    await admin('POST', `/api/v1/erp/sales-orders/${id}/approve`);
    await ack(id, '2026-12-15T12:00:00.000Z');
    await perf(id, 4);
    const o = await get(id);
    expect(o.status).toBe('in_production');
    expect(o.lines[0]).toMatchObject({ plannedStart: at, plannedEnd: '2026-12-15T12:00:00.000Z', producedQty: 4, scrappedQty: 1, progress: 0.4 });
    const late = (await admin('GET', '/api/v1/alerts?kind=late_order')).body.filter((a: { ref: string }) => a.ref === `${id}/1`);
    expect(late).toHaveLength(1);
    expect(late[0].role).toBe('planner');
  });

  it('sends a change request and shows it accepted, then a refused one with the reason', async () => {
    const id = await newOrder();
    await admin('POST', `/api/v1/erp/sales-orders/${id}/approve`);
    await ack(id);
    await perf(id, 4);
    const impact = await admin('GET', `/api/v1/erp/sales-orders/${id}/change-impact?lineNo=1&qty=3`);
    expect(impact.body).toMatchObject({ feasible: false, reason: expect.stringMatching(/below what is already produced/) });
    const fine = await admin('GET', `/api/v1/erp/sales-orders/${id}/change-impact?lineNo=1&qty=12`);
    expect(fine.body.feasible).toBe(true);
    expect(fine.body.workOrders).toEqual([
      { id: `${id}-WO1`, itemCode: 'S-FG', qty: 10, newQty: 12, goodQty: 4, status: 'in_progress' },
      { id: `${id}-WO2`, itemCode: 'S-SUB', qty: 20, newQty: 24, goodQty: 0, status: 'released' },
    ]);
    expect(fine.body.materialIssued).toEqual([]);

    const r = await admin('PATCH', `/api/v1/erp/sales-orders/${id}/lines/1`, { qty: 12, dueDate: '2027-01-15' });
    expect(r.status).toBe(202);
    expect((await get(id)).lines[0]).toMatchObject({ qty: 10, changeStatus: 'pending', changeReason: null });
    const [m] = await t.app.db.query<{ payload: Payload<'ChangeOperationsSchedule'>; correlation_id: string }>(`select payload, correlation_id from platform.outbox where type = 'ChangeOperationsSchedule' and payload->>'salesOrderId' = $1`, [id]);
    expect(m.payload).toMatchObject({ salesOrderId: id, lineNo: 1, qty: 12, dueDate: '2027-01-15' });
    expect(m.correlation_id).toBe(id);
    expect((await admin('PATCH', `/api/v1/erp/sales-orders/${id}/lines/1`, { qty: 11 })).status).toBe(409); // one pending at a time
    await respond(id, true, 'work orders resized');
    expect((await get(id)).lines[0]).toMatchObject({ qty: 12, dueDate: '2027-01-15', changeStatus: 'accepted', changeReason: 'work orders resized' });

    await admin('PATCH', `/api/v1/erp/sales-orders/${id}/lines/1`, { qty: 3 });
    await respond(id, false, 'quantity 3 is below the 4 already produced');
    expect((await get(id)).lines[0]).toMatchObject({ qty: 12, changeStatus: 'rejected', changeReason: 'quantity 3 is below the 4 already produced' });
  });

  it('cancels after release only when the MES accepts', async () => {
    const id = await newOrder();
    await admin('POST', `/api/v1/erp/sales-orders/${id}/approve`);
    const r = await admin('POST', `/api/v1/erp/sales-orders/${id}/cancel`);
    expect(r.status).toBe(202);
    expect((await get(id)).status).toBe('released');
    const [m] = await t.app.db.query<{ correlation_id: string }>(`select correlation_id from platform.outbox where type = 'CancelOperationsSchedule' and payload->>'salesOrderId' = $1`, [id]);
    expect(m.correlation_id).toBe(id);
    await respond(id, false, 'already packed');
    expect(await get(id)).toMatchObject({ status: 'released', lines: [{ changeStatus: 'rejected', changeReason: 'already packed' }] });
    await admin('POST', `/api/v1/erp/sales-orders/${id}/cancel`);
    await respond(id, true, 'work orders cancelled');
    expect(await get(id)).toMatchObject({ status: 'cancelled', lines: [{ changeStatus: 'accepted' }] });
  });

  it('applies a run of progress reports delivered at once as if one after another', async () => {
    const id = await newOrder(10);
    await admin('POST', `/api/v1/erp/sales-orders/${id}/approve`);
    await ack(id);
    const perf = (wo: string, top: boolean, event: string, good: number, scrap: number, laborCost: number) => ({
      salesOrderId: id, lineNo: 1, workOrderId: `${id}-${wo}`, itemCode: top ? 'S-FG' : 'S-SUB', top, event, operationId: null,
      workOrderQty: top ? 10 : 20, goodQty: good, scrapQty: scrap, at,
      booked: { laborMinutes: laborCost, machineMinutes: 0, energyKwh: 0, laborCost, machineCost: 0, energyCost: 0 },
    });
    // one unit of work: the ERP consumer gets them as one delivery
    await t.app.db.unitOfWork({ actor: systemActor, module: 'mes' }, async (u) => {
      for (const p of [
        perf('WO2', false, 'started', 0, 0, 0),
        perf('WO2', false, 'reported', 8, 1, 4),
        perf('WO2', false, 'completed', 20, 1, 6),
        perf('WO2', false, 'reported', 20, 1, 0), // late, after the completion: the work order stays completed
        perf('WO1', true, 'reported', 3, 0, 2),
        perf('WO1', true, 'reported', 5, 1, 3),
      ])
        u.emitRaw('ProcessOperationsPerformance', p, { correlationId: id });
    });
    await t.settle();
    const o = await get(id);
    expect(o).toMatchObject({ status: 'in_production', lines: [{ producedQty: 5, scrappedQty: 1, progress: 0.5 }] });
    const wos = await t.app.db.query<{ id: string; status: string; good: number }>(`select id, status, good_qty::float as good from erp.work_orders where sales_order_id = $1 order by id`, [id]);
    expect(wos).toEqual([
      { id: `${id}-WO1`, status: 'in_progress', good: 5 },
      { id: `${id}-WO2`, status: 'completed', good: 20 },
    ]);
    const [costs] = await t.app.db.query<{ n: number; labor: number | null }>(`select count(*)::int as n, sum(labor_cost)::float as labor from erp.cost_bookings where sales_order_id = $1`, [id]);
    expect(costs).toEqual({ n: 4, labor: 15 });
    const journal = (await admin('GET', `/api/v1/erp/sales-orders/${id}/journal`)).body;
    const conversion = journal.entries.filter((e: JournalEntryView) => e.memo.startsWith('conversion booked'));
    expect(conversion).toHaveLength(4);
    expect(journal.balanced).toBe(true);
    expect(conversion.map((e: JournalEntryView) => e.lines[0].debit)).toEqual([4, 6, 2, 3]);
    const starts = await t.app.db.query(`select 1 from platform.audit_log where entity = 'sales_order' and ref = $1 and action = 'start'`, [id]);
    expect(starts).toHaveLength(1);
  });

  it('plans a run of acknowledgements delivered at once: each order its dates, a late one alerted, an unknown one dead-lettered alone', async () => {
    const [onTime, late] = [await newOrder(10, '2026-12-31'), await newOrder(10, '2026-12-05')];
    for (const id of [onTime, late]) await admin('POST', `/api/v1/erp/sales-orders/${id}/approve`);
    await t.settle();
    await t.app.db.unitOfWork({ actor: systemActor, module: 'mes' }, async (u) => {
      for (const id of [onTime, 'SO-NOT-HERE', late]) u.emit('AcknowledgeOperationsSchedule', ackPayload(id), { correlationId: id });
    });
    await t.settle();
    for (const id of [onTime, late])
      expect((await get(id)).lines[0]).toMatchObject({ plannedStart: at, plannedEnd: '2026-12-20T16:00:00.000Z', promiseDate: '2026-12-20' });
    const lateAlerts = (await admin('GET', '/api/v1/alerts?kind=late_order')).body.filter((a: { correlationId: string }) => [onTime, late].includes(a.correlationId));
    expect(lateAlerts.map((a: { ref: string }) => a.ref)).toEqual([`${late}/1`]);
    const [dead] = await t.app.db.query<{ reason: string }>(`select reason from platform.dead_letters where payload->>'salesOrderId' = 'SO-NOT-HERE'`);
    expect(dead.reason).toMatch(/SO-NOT-HERE/);
    const plans = await t.app.db.query<{ ref: string }>(`select ref from platform.audit_log where entity = 'sales_order' and action = 'plan' and ref = any($1::text[])`, [[onTime, late]]);
    expect(plans.map((p) => p.ref).sort()).toEqual([onTime, late].sort());
  });
});
