import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { inDays, ok, orderWheels, runOperation, wheelShop, workOrdersOf } from './support/factory.ts';

/**
 * What screens read instead of whole tables: work orders paged on the server (`q`, `sort`,
 * `limit`, `offset`, beside the filters), and the cockpit's charts counted where the rows live
 * (`GET /api/v1/cockpit/board`: order lines by delivery state, open work left by work centre).
 */
let t: TestApp;
let admin: TestApp['call'];
interface Wo {
  id: string;
  qty: number;
  status: string;
  salesOrder: string | null;
  dueDate: string | null;
  operations: { seq: number; workCenter: string; status: string; goodQty: number; scrapQty: number }[];
}
const so: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  for (const [qty, due] of [[5, 14], [3, 20], [4, 30]] as const) so.push(await orderWheels(admin, qty, due));
  await t.settle();
}, 120_000);
afterAll(() => t?.close());

const list = async (query: string): Promise<Wo[]> => ok(admin('GET', `/api/v1/mes/work-orders${query}`));
const idsOf = (ws: Wo[]) => ws.map((w) => w.id);

describe('work orders page over the API', () => {
  it('?q= searches id, item and sales order; sort, limit and offset page; without them the list answers as before', async () => {
    const all = await list('');
    expect(all).toHaveLength(6); // three orders, two levels each
    const byId = [...all].map((w) => w.id).sort();
    expect(idsOf(await list('?sort=id&limit=4'))).toEqual(byId.slice(0, 4));
    expect(idsOf(await list('?sort=id&limit=4&offset=4'))).toEqual(byId.slice(4));
    expect(idsOf(await list('?sort=-id&limit=2'))).toEqual([byId[5], byId[4]]);
    const ofSecond = await list(`?q=${so[1]}`);
    expect(ofSecond.map((w) => w.salesOrder)).toEqual([so[1], so[1]]);
    expect((await list('?q=laced')).every((w) => all.find((a) => a.id === w.id))).toBe(true);
    expect(await list('?q=laced')).toHaveLength(3);
    expect(await list('?q=%25')).toEqual([]);
    // due dates: the latest order's work orders last, the earliest first
    const byDue = await list('?sort=dueDate&limit=6');
    expect(byDue.map((w) => w.dueDate)).toEqual([...byDue.map((w) => w.dueDate)].sort());
    expect(byDue[5].salesOrder).toBe(so[2]);
    // bounded: a page never exceeds 500, and bad parameters are a clear 400
    expect((await admin('GET', '/api/v1/mes/work-orders?limit=501')).status).toBe(400);
    expect((await admin('GET', '/api/v1/mes/work-orders?sort=qty')).status).toBe(400);
  });

  it('the newest completed first: what the quality screen reads', async () => {
    const { child } = await workOrdersOf(admin, so[1]);
    await runOperation(admin, child.operations[0].id, { goodQty: 3, complete: true });
    await t.settle();
    const done = await list('?status=completed&sort=-completedAt&limit=20');
    expect(idsOf(done)).toEqual([child.id]);
  });
});

describe('the cockpit board', () => {
  it('counts order lines by delivery state and open work left by work centre, as the screen used to from every row', async () => {
    // the first order's child: 2 good of 5 reported, the operation still running
    const { child } = await workOrdersOf(admin, so[0]);
    await runOperation(admin, child.operations[0].id, { goodQty: 2 });
    await t.settle();
    // the web's former rule, applied to every open work order
    const expected = new Map<string, { running: number; waiting: number }>();
    for (const w of await list('?open=true')) {
      const op = [...w.operations].sort((a, b) => a.seq - b.seq).find((o) => o.status === 'running' || o.status === 'pending');
      if (!op) continue;
      const e = expected.get(op.workCenter) ?? { running: 0, waiting: 0 };
      e[op.status === 'running' ? 'running' : 'waiting'] += Math.max(0, w.qty - op.goodQty - op.scrapQty);
      expected.set(op.workCenter, e);
    }
    const board = await ok(admin('GET', '/api/v1/cockpit/board'));
    expect(board.wip).toEqual([...expected].sort(([a], [b]) => a.localeCompare(b)).map(([workCenter, v]) => ({ workCenter, ...v })));
    expect(board.wip.find((w: { workCenter: string }) => w.workCenter === 'LACING')).toMatchObject({ running: 3 });
    expect((await ok(admin('GET', '/api/v1/cockpit/board?plant=main'))).wip).toEqual(board.wip);
    expect((await ok(admin('GET', '/api/v1/cockpit/board?plant=elsewhere'))).wip).toEqual([]);

    // delivery: all three on time; then one due yesterday (late), one planned to end after its due day
    // (at risk), one shipped today (delivered) and an order shipped long ago (not counted)
    expect(board.delivery).toEqual({ onTime: 3, atRisk: 0, late: 0, delivered: 0 });
    const db = t.app.db;
    const old = await ok(admin('POST', '/api/v1/erp/sales-orders', { customer: 'C-VELO', lines: [{ itemCode: 'WHEEL', qty: 1, dueDate: inDays(9) }] }), 201);
    const sql = (text: string, params: unknown[]) => db.unitOfWork({ actor: { kind: 'system', id: 'test', roles: ['admin'] }, module: 'erp' }, (u) => u.query(text, params));
    await sql(`update erp.sales_order_lines set due_date = $2 where order_id = $1`, [so[0], inDays(-1)]);
    await sql(`update erp.sales_order_lines set planned_end = ($2::date + interval '2 days') where order_id = $1`, [so[1], inDays(20)]);
    await sql(`update erp.sales_orders set status = 'shipped', shipped_at = now() where id = $1`, [so[2]]);
    await sql(`update erp.sales_orders set status = 'shipped', shipped_at = now() - interval '40 days' where id = $1`, [old.id]);
    expect((await ok(admin('GET', '/api/v1/cockpit/board'))).delivery).toEqual({ onTime: 0, atRisk: 1, late: 1, delivered: 1 });
  });

  it('is the cockpit reader\'s: a user scoped to one plant reads that plant, another plant is 403', async () => {
    await ok(admin('POST', '/api/v1/users', { username: 'cb-viewer', password: 'viewer-pass-1', roles: ['manager'], scope: { plants: ['main'] } }), 201);
    const viewer = t.as((await t.call('POST', '/api/v1/auth/login', { username: 'cb-viewer', password: 'viewer-pass-1' })).body.token);
    expect((await viewer('GET', '/api/v1/cockpit/board')).body.wip.length).toBeGreaterThan(0);
    expect((await viewer('GET', '/api/v1/cockpit/board?plant=other')).status).toBe(403);
    expect((await t.call('GET', '/api/v1/cockpit/board')).status).toBe(401);
  });
});
