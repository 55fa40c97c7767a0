/**
 * Test fixtures of the MES module tests: ERP-side master data and orders injected as messages
 * (the MES never reads the ERP), and a small factory with a 3-level BOM.
 */
import { systemActor } from '../../src/platform/index.ts';
import type { TestApp } from './app.ts';

type Call = TestApp['call'];

export async function fromErp(t: TestApp, type: string, payload: unknown, correlationId: string | null = null) {
  await t.app.db.unitOfWork({ actor: systemActor, module: 'erp' }, async (u) => {
    u.emitRaw(type, payload, { correlationId });
  });
  await t.settle();
}

/** FG (finished) ← 2 × SA (semi, 10 % scrap) + 0.5 kg RM1; SA ← 1 × SB (semi) + 1.5 kg RM2; SB ← 0.2 kg RM1. */
export async function setUpFactory(t: TestApp, admin: Call, prefix = '') {
  const c = (s: string) => `${prefix}${s}`;
  for (const [code, rate] of [['CUT', 60], ['ASM', 90], ['PACK', 30]] as const) {
    const r = await admin('POST', '/api/v1/mes/work-centers', { code: c(code), name: code, costPerHour: rate, laborCostPerHour: 30 });
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  }
  await fromErp(t, 'SyncMaterialDefinition', {
    items: [
      { code: c('FG'), name: 'Finished', kind: 'finished', uom: 'pcs', standardCost: 100, leadTimeDays: 2 },
      { code: c('SA'), name: 'Sub-assembly', kind: 'semi', uom: 'pcs', standardCost: 30, leadTimeDays: 1 },
      { code: c('SB'), name: 'Blank', kind: 'semi', uom: 'pcs', standardCost: 10, leadTimeDays: 1 },
      { code: c('RM1'), name: 'Steel', kind: 'raw', uom: 'kg', standardCost: 2, leadTimeDays: 5 },
      { code: c('RM2'), name: 'Paint', kind: 'raw', uom: 'kg', standardCost: 4, leadTimeDays: 5 },
    ],
  });
  await fromErp(t, 'SyncBillOfMaterial', { itemCode: c('FG'), version: 1, components: [{ itemCode: c('SA'), qty: 2, scrapFactor: 0.1 }, { itemCode: c('RM1'), qty: 0.5 }] });
  await fromErp(t, 'SyncBillOfMaterial', { itemCode: c('SA'), version: 1, components: [{ itemCode: c('SB'), qty: 1 }, { itemCode: c('RM2'), qty: 1.5 }] });
  await fromErp(t, 'SyncBillOfMaterial', { itemCode: c('SB'), version: 1, components: [{ itemCode: c('RM1'), qty: 0.2 }] });
  const routings: [string, object[]][] = [
    [c('SB'), [{ seq: 10, name: 'cut', workCenter: c('CUT'), setupMinutes: 30, minutesPerUnit: 2 }]],
    [c('SA'), [{ seq: 10, name: 'weld', workCenter: c('ASM'), setupMinutes: 15, minutesPerUnit: 3 }]],
    [c('FG'), [
      { seq: 10, name: 'assemble', workCenter: c('ASM'), setupMinutes: 10, minutesPerUnit: 5 },
      { seq: 20, name: 'pack', workCenter: c('PACK'), setupMinutes: 0, minutesPerUnit: 1 },
    ]],
  ];
  for (const [item, operations] of routings) {
    const r = await admin('PUT', `/api/v1/mes/routings/${item}`, { operations });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  }
  return c;
}

/** An approved sales order as the ERP sends it. */
export async function releaseOrder(t: TestApp, salesOrderId: string, lines: { lineNo?: number; itemCode: string; qty: number; dueDate?: string }[]) {
  await fromErp(
    t,
    'ProcessOperationsSchedule',
    {
      salesOrderId,
      customer: 'ACME',
      requests: lines.map((l, i) => ({ lineNo: l.lineNo ?? i + 1, itemCode: l.itemCode, qty: l.qty, dueDate: l.dueDate ?? '2027-01-31', bomVersion: null, priority: 0 })),
    },
    salesOrderId,
  );
}

export async function receiveLot(t: TestApp, lot: string, itemCode: string, qty: number, supplier = 'SUP-1') {
  await fromErp(t, 'SyncMaterialLot', { lot, itemCode, status: 'available', qty, supplier });
}

/** Messages of a type in the outbox (what the MES told the ERP). */
export async function sent(t: TestApp, type: string, correlationId?: string | null): Promise<any[]> {
  const rows = await t.app.db.query<{ payload: Record<string, unknown>; correlation_id: string | null }>(
    `select payload, correlation_id from platform.outbox where type = $1 and ($2::text is null or correlation_id = $2) order by seq`,
    [type, correlationId ?? null],
  );
  return rows.map((r) => ({ ...r.payload, _correlationId: r.correlation_id }));
}

export const byItem = (wos: any[], item: string) => wos.find((w) => w.itemCode === item);
