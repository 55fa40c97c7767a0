import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { systemActor } from '../../platform/index.ts';
import { createExternalWorkOrders } from '../index.ts';
import { byItem, fromErp, releaseOrder, sent, setUpFactory } from '../../../test/support/mes-factory.ts';
import { componentQty, explode, standardConversion } from './model.ts';
import { plannedLines } from './planned-lines.ts';

let t: TestApp;
let admin: TestApp['call'];
let c: (s: string) => string;

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  c = await setUpFactory(t, admin);
}, 180_000);
afterAll(() => t?.close());

describe(`work orders (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('explodes quantities level by level, whole pieces rounded up', () => {
    expect(componentQty(10, 2.2, 'pcs')).toBe(22);
    expect(componentQty(3, 1.1, 'pcs')).toBe(4);
    expect(componentQty(3, 1.1, 'kg')).toBe(3.3);
    const items = new Map([
      ['A', { code: 'A', kind: 'finished', uom: 'pcs' }],
      ['B', { code: 'B', kind: 'semi', uom: 'pcs' }],
      ['C', { code: 'C', kind: 'semi', uom: 'pcs' }],
    ]);
    const boms: Record<string, any> = { A: { version: 1, components: [{ itemCode: 'B', qty: 1, scrapFactor: 0 }, { itemCode: 'C', qty: 2, scrapFactor: 0 }] }, B: { version: 1, components: [] } };
    const tree = explode('A', 5, items, (code) => boms[code]);
    // C is semi but has no BOM of its own: it is material, not a child work order
    expect(tree.map((n) => [n.itemCode, n.qty, n.parentIndex])).toEqual([['A', 5, -1], ['B', 5, 0]]);
  });

  it('turns a production request over a 3-level BOM into linked work orders, children planned before parents', async () => {
    await releaseOrder(t, 'SO-1', [{ itemCode: c('FG'), qty: 10 }]);
    const r = await admin('GET', '/api/v1/mes/work-orders?salesOrder=SO-1');
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(3);
    const fg = byItem(r.body, c('FG'));
    const sa = byItem(r.body, c('SA'));
    const sb = byItem(r.body, c('SB'));
    expect(fg).toMatchObject({ qty: 10, status: 'released', salesOrder: 'SO-1', lineNo: 1, parentWorkOrder: null, goodQty: 0, scrapQty: 0, outputLots: [] });
    expect(sa).toMatchObject({ qty: 22, parentWorkOrder: fg.id });
    expect(sb).toMatchObject({ qty: 22, parentWorkOrder: sa.id });
    expect(fg.operations.map((o: any) => [o.seq, o.name, o.workCenter, o.status])).toEqual([
      [10, 'assemble', c('ASM'), 'pending'],
      [20, 'pack', c('PACK'), 'pending'],
    ]);
    for (const w of [fg, sa, sb]) {
      expect(w.plannedStart).toBeTruthy();
      expect(w.plannedEnd > w.plannedStart).toBe(true);
      for (const o of w.operations) expect(o.plannedStart >= w.plannedStart && o.plannedEnd <= w.plannedEnd).toBe(true);
    }
    expect(sb.plannedEnd <= sa.plannedStart).toBe(true);
    expect(sa.plannedEnd <= fg.plannedStart).toBe(true);
    // inside the default calendar: Monday to Friday, 08:00-16:00
    for (const o of [...fg.operations, ...sa.operations, ...sb.operations]) {
      const s = new Date(o.plannedStart);
      expect(s.getUTCHours()).toBeGreaterThanOrEqual(8);
      expect(s.getUTCHours()).toBeLessThan(16);
      expect([0, 6]).not.toContain(s.getUTCDay());
    }
    const [ack] = await sent(t, 'AcknowledgeOperationsSchedule', 'SO-1');
    expect(ack.lines).toHaveLength(1);
    expect(ack.lines[0].workOrders.map((w: any) => w.id)).toEqual([fg.id, sa.id, sb.id]);
    expect(ack.lines[0].plannedEnd).toBe(fg.plannedEnd);
    // standard: routing minutes × rates (labour 30/h everywhere; machine CUT 60, ASM 90, PACK 30)
    const minutes = { fg1: 10 + 5 * 10, fg2: 10, sa: 15 + 3 * 22, sb: 30 + 2 * 22 };
    expect(ack.lines[0].standard.labor).toBeCloseTo(((minutes.fg1 + minutes.fg2 + minutes.sa + minutes.sb) * 30) / 60, 2);
    expect(ack.lines[0].standard.machine).toBeCloseTo((minutes.fg1 * 90 + minutes.fg2 * 30 + minutes.sa * 90 + minutes.sb * 60) / 60, 2);
  });

  it("costs a work order's standard conversion by one rule: the acknowledgement made fresh and the lines read back agree", async () => {
    // 10 + 2 × 10 = 30 min at 30/h labour and 60/h machine; 5 + 0.5 × 10 = 10 min at 24/h labour
    expect(
      standardConversion(
        [
          { setupMinutes: 10, minutesPerUnit: 2, laborRate: 30, machineRate: 60 },
          { setupMinutes: 5, minutesPerUnit: 0.5, laborRate: 24, machineRate: 0 },
        ],
        10,
      ),
    ).toEqual({ labor: 19, machine: 30, minutes: 40 });
    const [ack] = (await sent(t, 'AcknowledgeOperationsSchedule', 'SO-1')) as { lines: { standard: object; workOrders: { standardMinutes: number }[] }[] }[];
    const shape = (lines: { standard: object; workOrders: { standardMinutes?: number }[] }[]) =>
      lines.map((l) => ({ standard: l.standard, minutes: l.workOrders.map((w) => w.standardMinutes) }));
    expect(ack.lines[0].workOrders).toHaveLength(3);
    expect(shape(await plannedLines(t.app.db, 'SO-1'))).toEqual(shape(ack.lines));
    expect(ack.lines[0].workOrders.every((w) => w.standardMinutes > 0)).toBe(true);
  });

  it('appends a second order after the first on a shared work centre', async () => {
    await releaseOrder(t, 'SO-2', [{ itemCode: c('SB'), qty: 5 }]);
    const first = (await admin('GET', '/api/v1/mes/work-orders?salesOrder=SO-1')).body;
    const [second] = (await admin('GET', '/api/v1/mes/work-orders?salesOrder=SO-2')).body;
    expect(second.operations[0].plannedStart >= byItem(first, c('SB')).operations[0].plannedEnd).toBe(true);
  });

  it('does not make work orders twice when the request is delivered again', async () => {
    await releaseOrder(t, 'SO-1', [{ itemCode: c('FG'), qty: 10 }]);
    expect((await admin('GET', '/api/v1/mes/work-orders?salesOrder=SO-1')).body).toHaveLength(3);
  });

  it('refuses a routing on an unknown work centre', async () => {
    const r = await admin('PUT', `/api/v1/mes/routings/${c('SB')}`, { operations: [{ seq: 10, name: 'x', workCenter: 'NOPE', setupMinutes: 0, minutesPerUnit: 1 }] });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('unprocessable');
  });

  it('makes a work order without operations for an item without routing, alerts, and fills it in when the routing comes', async () => {
    await fromErp(t, 'SyncMaterialDefinition', { items: [{ code: 'NR-1', name: 'No routing', kind: 'finished', uom: 'pcs', standardCost: 1, leadTimeDays: 0 }] });
    await releaseOrder(t, 'SO-NR', [{ itemCode: 'NR-1', qty: 4 }]);
    const [wo] = (await admin('GET', '/api/v1/mes/work-orders?salesOrder=SO-NR')).body;
    expect(wo.operations).toEqual([]);
    const alerts = (await admin('GET', '/api/v1/alerts')).body;
    expect(alerts.some((a: any) => a.ref === 'routing/NR-1')).toBe(true);
    const put = await admin('PUT', '/api/v1/mes/routings/NR-1', { operations: [{ seq: 10, name: 'make', workCenter: c('PACK'), setupMinutes: 0, minutesPerUnit: 1 }] });
    expect(put.body.workOrdersFilled).toEqual([wo.id]);
    const after = (await admin('GET', `/api/v1/mes/work-orders/${wo.id}`)).body;
    expect(after.operations).toHaveLength(1);
    expect(after.operations[0].plannedStart).toBeTruthy();
  });

  it('sends an order for an unknown item to dead letters with the reason', async () => {
    await releaseOrder(t, 'SO-BAD', [{ itemCode: 'UNKNOWN', qty: 1 }]);
    const [dl] = await t.app.db.query(`select reason from platform.dead_letters where payload->>'salesOrderId' = 'SO-BAD'`);
    expect(dl.reason).toMatch(/UNKNOWN is unknown/);
  });

  it('makes a bulk release delivered as one batch once per line, planned one after another, with one acknowledgement per order', async () => {
    const request = (so: string) => ({
      salesOrderId: so, customer: 'ACME', requests: [{ lineNo: 1, itemCode: c('SB'), qty: 2, dueDate: '2027-01-31', bomVersion: null, priority: 0 }],
    });
    // one unit of work: the relay hands the consumer all of them in one delivery, the same order twice among them
    await t.app.db.unitOfWork({ actor: systemActor, module: 'erp' }, async (u) => {
      for (const so of ['BULK-1', 'BULK-2', 'BULK-1', 'BULK-3']) u.emit('ProcessOperationsSchedule', request(so), { correlationId: so });
    });
    await t.settle();
    const wos = await t.app.db.query<{ sales_order: string; planned_start: Date; planned_end: Date }>(`select sales_order, planned_start, planned_end from mes.work_orders where sales_order like 'BULK-%' order by planned_start`);
    expect(wos.map((w) => w.sales_order).sort()).toEqual(['BULK-1', 'BULK-2', 'BULK-3']);
    // finite capacity across the batch: no two share the centre at the same time
    for (let i = 1; i < wos.length; i++) expect(new Date(wos[i].planned_start) >= new Date(wos[i - 1].planned_end)).toBe(true);
    const acks = (await sent(t, 'AcknowledgeOperationsSchedule')).filter((a) => a.salesOrderId.startsWith('BULK-'));
    expect(acks.map((a) => a._correlationId)).toEqual(['BULK-1', 'BULK-2', 'BULK-1', 'BULK-3']);
    expect(acks.every((a) => a.lines[0].workOrders.length === 1 && a.lines[0].plannedEnd)).toBe(true);
    const [audit] = await t.app.db.query(`select a.correlation_id, o.correlation_id as message_correlation from platform.audit_log a
        join platform.outbox o on o.id = a.message_id where a.entity = 'work_order' and a.action = 'create' and a.correlation_id = 'BULK-2'`);
    expect(audit).toMatchObject({ correlation_id: 'BULK-2', message_correlation: 'BULK-2' });
  });

  it('a bad request in a batch costs only itself: the others get their work orders', async () => {
    await t.app.db.unitOfWork({ actor: systemActor, module: 'erp' }, async (u) => {
      for (const [so, item] of [['MIX-1', c('SB')], ['MIX-BAD', 'NO-SUCH-ITEM'], ['MIX-2', c('SB')]])
        u.emit('ProcessOperationsSchedule', { salesOrderId: so, customer: 'ACME', requests: [{ lineNo: 1, itemCode: item, qty: 1, dueDate: '2027-01-31', bomVersion: null, priority: 0 }] }, { correlationId: so });
    });
    await t.settle();
    const wos = await t.app.db.query(`select sales_order from mes.work_orders where sales_order like 'MIX-%' order by sales_order`);
    expect(wos.map((w) => w.sales_order)).toEqual(['MIX-1', 'MIX-2']);
    const dead = await t.app.db.query(`select payload->>'salesOrderId' as so from platform.dead_letters where type = 'ProcessOperationsSchedule' and payload->>'salesOrderId' like 'MIX-%'`);
    expect(dead.map((d) => d.so)).toEqual(['MIX-BAD']);
  });

  it('creates work orders for an outside ERP by externalRef, once', async () => {
    const make = () =>
      t.app.db.unitOfWork({ actor: systemActor, module: 'integration' }, (u) => createExternalWorkOrders(u, [{ externalRef: 'EXT-9', itemCode: c('SA'), qty: 3 }]));
    const [first] = await make();
    expect(first.created).toBe(true);
    expect(first.workOrders.map((w) => w.itemCode)).toEqual([c('SA'), c('SB')]);
    const [again] = await make();
    expect(again.created).toBe(false);
    const r = await admin('GET', '/api/v1/mes/work-orders?externalRef=EXT-9');
    expect(r.body).toHaveLength(1);
    expect(r.body[0]).toMatchObject({ itemCode: c('SA'), qty: 3, salesOrder: null, externalRef: 'EXT-9' });
  });

  it('records who created what in the audit log', async () => {
    const [wo] = (await admin('GET', '/api/v1/mes/work-orders?salesOrder=SO-2')).body;
    const r = await admin('GET', `/api/v1/audit?entity=work_order&ref=${wo.id}`);
    expect(r.body.some((a: any) => a.action === 'create')).toBe(true);
  });
  it('lists only the work still to do with open=true (a terminal never loads the history)', async () => {
    await releaseOrder(t, 'SO-OPEN', [{ itemCode: c('SA'), qty: 2 }]);
    const [wo] = (await admin('GET', '/api/v1/mes/work-orders?salesOrder=SO-OPEN')).body;
    expect((await admin('POST', `/api/v1/mes/work-orders/${wo.id}/cancel`, { reason: 'not needed' })).status).toBe(200);
    const open = (await admin('GET', '/api/v1/mes/work-orders?open=true')).body as { id: string; status: string }[];
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((w) => w.status === 'released' || w.status === 'in_progress')).toBe(true);
    expect(open.map((w) => w.id)).not.toContain(wo.id);
    expect((await admin('GET', '/api/v1/mes/work-orders')).body.map((w: { id: string }) => w.id)).toContain(wo.id);
    expect((await admin('GET', '/api/v1/mes/work-orders?open=yes')).status).toBe(400);
  });
});
