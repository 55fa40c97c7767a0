/** A small factory for the browser tests and the web bench, set up through the public API. */
export type Call = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export interface Factory {
  salesOrder: string;
  workOrder: string;
  operations: { id: string; seq: number; workCenter: string }[];
}

async function ok<T = unknown>(call: Call, method: string, url: string, body?: unknown): Promise<T> {
  const r = await call(method, url, body);
  if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as T;
}

/** The parts of the API's answers read here. */
interface Created {
  id: string;
}
interface WorkOrderView {
  id: string;
  operations: { id: string; seq: number; workCenter: string }[];
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Work centres CUT and ASM, a finished item made from a raw one, stock, and a released order. */
export async function seedFactory(call: Call, settle: () => Promise<void>, suffix = ''): Promise<Factory> {
  const s = suffix;
  await ok(call, 'POST', '/api/v1/mes/work-centers', { code: `CUT${s}`, name: 'Cutting', costPerHour: 60, plant: 'main' });
  await ok(call, 'POST', '/api/v1/mes/work-centers', { code: `ASM${s}`, name: 'Assembly', costPerHour: 40, plant: 'main' });
  await ok(call, 'POST', '/api/v1/erp/items', { code: `RAW${s}`, name: 'Steel bar', kind: 'raw', uom: 'pcs', standardCost: 2, leadTimeDays: 3 });
  await ok(call, 'POST', '/api/v1/erp/items', { code: `FG${s}`, name: 'Bracket', kind: 'finished', uom: 'pcs', standardCost: 20 });
  await ok(call, 'PUT', `/api/v1/erp/boms/FG${s}`, { components: [{ itemCode: `RAW${s}`, qty: 2 }] });
  await ok(call, 'PUT', `/api/v1/mes/routings/FG${s}`, {
    operations: [
      { seq: 10, name: 'Cut', workCenter: `CUT${s}`, setupMinutes: 5, minutesPerUnit: 2 },
      { seq: 20, name: 'Assemble', workCenter: `ASM${s}`, setupMinutes: 5, minutesPerUnit: 3 },
    ],
  });
  await ok(call, 'POST', '/api/v1/erp/customers', { code: `C${s || '1'}`, name: 'Acme' });
  await ok(call, 'POST', '/api/v1/erp/inventory/receipts', { itemCode: `RAW${s}`, qty: 100, lot: `L-RAW${s}`, unitCost: 2 });
  const so = await ok<Created>(call, 'POST', '/api/v1/erp/sales-orders', { customer: `C${s || '1'}`, lines: [{ itemCode: `FG${s}`, qty: 5, dueDate: day(14) }] });
  await ok(call, 'POST', `/api/v1/erp/sales-orders/${so.id}/approve`, {});
  let wos: WorkOrderView[] = [];
  for (let i = 0; i < 50 && !wos.length; i++) {
    await settle();
    wos = await ok<WorkOrderView[]>(call, 'GET', `/api/v1/mes/work-orders?salesOrder=${encodeURIComponent(so.id)}`);
    if (!wos.length) await new Promise((r) => setTimeout(r, 50));
  }
  if (!wos.length) throw new Error('no work order was made for the sales order');
  const wo = wos[0];
  return {
    salesOrder: so.id,
    workOrder: wo.id,
    operations: wo.operations.map((o) => ({ id: o.id, seq: o.seq, workCenter: o.workCenter })),
  };
}

/** One more released order (for the planner board: work that is not started). */
export async function addOrder(call: Call, settle: () => Promise<void>, customer: string, itemCode: string, qty: number, dueInDays: number): Promise<string> {
  const so = await ok<Created>(call, 'POST', '/api/v1/erp/sales-orders', { customer, lines: [{ itemCode, qty, dueDate: day(dueInDays) }] });
  await ok(call, 'POST', `/api/v1/erp/sales-orders/${so.id}/approve`, {});
  await settle();
  return so.id;
}
