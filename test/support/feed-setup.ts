import { expect } from 'vitest';
import { buildOperationsSchedule } from '../../src/integration/b2mml/index.ts';
import type { TestApp } from './app.ts';
import { ok, runOperation } from './factory.ts';

type Call = TestApp['call'];
export const SECRET = 'kd-webhook-secret-0123456789';

/**
 * Code maps of a system: through `PUT .../code-maps/:kind` where that route exists, else straight
 * into the table it writes (`integration.code_maps`), so the feed's translation is tested either way.
 */
export async function codeMaps(t: TestApp, system: string, kind: string, rows: { external: string; internal: string; factor?: number }[]) {
  const r = await t.as(t.adminToken)('PUT', `/api/v1/integration/systems/${system}/code-maps/${kind}`, rows);
  if (r.status !== 404) return void expect(r.status, JSON.stringify(r.body)).toBe(200);
  await t.app.db.query('create table if not exists integration.code_maps (system text, kind text, external text, internal text, factor numeric)');
  for (const m of rows)
    await t.app.db.query('insert into integration.code_maps (system, kind, external, internal, factor) values ($1, $2, $3, $4, $5)', [
      system, kind, m.external, m.internal, m.factor ?? null,
    ]);
}

/** A Kingdee-like system: its webhook, and its own codes for the wheel shop (a pair = 2 pcs). */
export async function kingdee(t: TestApp, webhookUrl: string | null, code = 'KD') {
  const admin = t.as(t.adminToken);
  await ok(admin('PUT', `/api/v1/integration/systems/${code}`, { name: 'Kingdee', role: 'erp', webhook: webhookUrl ? { url: webhookUrl, secret: SECRET } : null }));
  await codeMaps(t, code, 'item', [
    { external: 'KD-WHL-01', internal: 'WHEEL' },
    { external: 'KD-LCD-01', internal: 'LACED' },
    { external: 'KD-RIM-01', internal: 'RIM' },
  ]);
  await codeMaps(t, code, 'uom', [{ external: 'PR', internal: 'pcs', factor: 2 }]);
}

/** How a system names the wheel and its unit (Kingdee-like: `KD-WHL-01` in pairs). */
export const KD_WHEEL = { item: 'KD-WHL-01', uom: 'PR', perUnit: 2 };

/** The outside ERP asks for `qty` wheels (pieces) by B2MML in its own codes; returns the work orders (top first). */
export async function requestWheels(admin: Call, system: string, ref: string, qty: number, codes = KD_WHEEL) {
  const doc = buildOperationsSchedule({
    id: `DOC-${ref}`,
    createdAt: new Date(),
    workOrders: [{ id: ref, itemCode: codes.item, qty: qty / codes.perUnit, uom: codes.uom, operations: [{ seq: 10, name: 'Assemble', workCenter: 'ASSEMBLY' }], consumed: [] }],
  });
  const r = await admin('POST', `/api/v1/integration/b2mml?system=${system}`, doc, { 'content-type': 'application/xml' });
  expect(r.status, String(r.body)).toBe(202);
  const top = (await ok(admin('GET', `/api/v1/mes/work-orders?externalRef=${ref}`)))[0];
  const all = await ok(admin('GET', '/api/v1/mes/work-orders?status=released'));
  const child = all.find((w: { parentWorkOrder: string | null }) => w.parentWorkOrder === top.id);
  return { top, child };
}

/** Makes the wheels: rims consumed, the laced wheel, then both operations of the wheel. */
export async function makeWheels(admin: Call, top: { id: string; operations: { id: string }[] }, child: { id: string; operations: { id: string }[] }, qty: number) {
  await ok(admin('POST', `/api/v1/mes/work-orders/${child.id}/consume`, { itemCode: 'RIM', lot: 'RIM-L1', qty }), 201);
  await runOperation(admin, child.operations[0].id, { goodQty: qty, complete: true });
  await runOperation(admin, top.operations[0].id, { goodQty: qty, complete: true });
  await runOperation(admin, top.operations[1].id, { goodQty: qty, complete: true });
}
