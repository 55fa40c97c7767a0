import { expect } from 'vitest';
import type { TestApp } from './app.ts';

type Call = TestApp['call'];

/** Fails the test with the answer's body when the status is not the expected one. */
export async function ok(p: Promise<{ status: number; body: any }>, status = 200) {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

export const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/**
 * A small wheel shop: a finished wheel over a semi-finished laced wheel (2 BOM levels),
 * two work centres with routings, a customer, a supplier, and stock of every raw material.
 */
export async function wheelShop(admin: Call) {
  for (const it of [
    { code: 'RIM', name: 'Rim 622', kind: 'raw', uom: 'pcs', standardCost: 12, leadTimeDays: 5, reorderPoint: 5, reorderQty: 50 },
    { code: 'SPOKE', name: 'Spoke 2.0', kind: 'raw', uom: 'pcs', standardCost: 0.1, leadTimeDays: 3 },
    { code: 'HUB', name: 'Hub 100mm', kind: 'raw', uom: 'pcs', standardCost: 15, leadTimeDays: 7 },
    { code: 'TYRE', name: 'Tyre 700x28', kind: 'raw', uom: 'pcs', standardCost: 8, leadTimeDays: 4 },
    { code: 'LACED', name: 'Laced wheel', kind: 'semi', uom: 'pcs', leadTimeDays: 1 },
    { code: 'WHEEL', name: 'Front wheel', kind: 'finished', uom: 'pcs', leadTimeDays: 2 },
  ])
    await ok(admin('POST', '/api/v1/erp/items', it), 201);
  await ok(admin('PUT', '/api/v1/erp/boms/LACED', { components: [{ itemCode: 'RIM', qty: 1 }, { itemCode: 'SPOKE', qty: 32 }, { itemCode: 'HUB', qty: 1 }] }));
  await ok(admin('PUT', '/api/v1/erp/boms/WHEEL', { components: [{ itemCode: 'LACED', qty: 1 }, { itemCode: 'TYRE', qty: 1 }] }));
  await ok(admin('POST', '/api/v1/mes/work-centers', { code: 'LACING', name: 'Lacing', costPerHour: 40, laborCostPerHour: 30 }), 201);
  await ok(admin('POST', '/api/v1/mes/work-centers', { code: 'ASSEMBLY', name: 'Assembly', costPerHour: 30, laborCostPerHour: 30 }), 201);
  await ok(admin('PUT', '/api/v1/mes/routings/LACED', { operations: [{ seq: 10, name: 'Lacing', workCenter: 'LACING', setupMinutes: 10, minutesPerUnit: 5 }] }));
  await ok(
    admin('PUT', '/api/v1/mes/routings/WHEEL', {
      operations: [
        { seq: 10, name: 'Mount tyre', workCenter: 'ASSEMBLY', setupMinutes: 5, minutesPerUnit: 2 },
        { seq: 20, name: 'True and check', workCenter: 'ASSEMBLY', setupMinutes: 0, minutesPerUnit: 1 },
      ],
    }),
  );
  await ok(admin('POST', '/api/v1/erp/customers', { code: 'C-VELO', name: 'Velo Store' }), 201);
  await ok(admin('POST', '/api/v1/erp/suppliers', { code: 'S-RIMS', name: 'Rims Ltd' }), 201);
  await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'RIM', qty: 40, lot: 'RIM-L1', supplier: 'S-RIMS', unitCost: 12 }), 201);
  await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'SPOKE', qty: 2000, lot: 'SPK-L1', supplier: 'S-RIMS', unitCost: 0.1 }), 201);
  await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'HUB', qty: 40, lot: 'HUB-L1', supplier: 'S-RIMS', unitCost: 15 }), 201);
  await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'TYRE', qty: 40, lot: 'TYR-L1', supplier: 'S-RIMS', unitCost: 8 }), 201);
}

/** Creates and approves a sales order of `qty` wheels; returns its id. */
export async function orderWheels(admin: Call, qty: number, dueInDays = 14): Promise<string> {
  const so = await ok(admin('POST', '/api/v1/erp/sales-orders', { customer: 'C-VELO', lines: [{ itemCode: 'WHEEL', qty, dueDate: inDays(dueInDays) }] }), 201);
  expect(so.status).toBe('draft');
  const approved = await ok(admin('POST', `/api/v1/erp/sales-orders/${so.id}/approve`));
  expect(approved.status).toBe('released');
  return so.id;
}

export async function workOrdersOf(admin: Call, salesOrderId: string) {
  const wos = await ok(admin('GET', `/api/v1/mes/work-orders?salesOrder=${encodeURIComponent(salesOrderId)}`));
  const top = wos.find((w: any) => w.parentWorkOrder === null);
  const child = wos.find((w: any) => w.parentWorkOrder !== null);
  return { all: wos, top, child };
}

/** Starts and reports an operation; `complete` closes it. */
export async function runOperation(call: Call, opId: string, report: Record<string, unknown>) {
  await ok(call('POST', `/api/v1/mes/operations/${opId}/start`, { operator: 'op-1' }));
  return ok(call('POST', `/api/v1/mes/operations/${opId}/report`, report));
}
