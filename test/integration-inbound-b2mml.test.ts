import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOperationsPerformance, buildOperationsSchedule, validateB2mml } from '../src/integration/b2mml/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { ok, wheelShop } from './support/factory.ts';
import { kingdeeSystem } from './support/kingdee.ts';

let t: TestApp;
let admin: TestApp['call'];
const XML = { 'content-type': 'application/xml' };
const B2MML = '/api/v1/integration/b2mml';
const topOf = async (ref: string) => (await ok(admin('GET', `/api/v1/mes/work-orders?externalRef=${ref}`))).find((w: { top: boolean }) => w.top);

/** A schedule of one request in Kingdee's codes (3 boxes of 50 of 03.01.0001 unless told otherwise). */
function schedule(verb: 'Process' | 'Change' | 'Cancel', ref: string, opts: { item?: string; qty?: number; uom?: string; dueDate?: string } = {}) {
  const doc = buildOperationsSchedule({
    id: `KD-S-${ref}`,
    createdAt: new Date(),
    sender: 'KINGDEE',
    workOrders: [
      { id: ref, itemCode: opts.item ?? '03.01.0001', qty: opts.qty ?? 3, uom: opts.uom ?? 'BOX50', dueDate: opts.dueDate ?? '2026-12-20', operations: [{ seq: 10, name: 'Assemble', workCenter: 'ST-ASM' }], consumed: [] },
    ],
  });
  return verb === 'Process' ? doc : doc.replace(/ProcessOperationsSchedule/g, `${verb}OperationsSchedule`).replace('<Process/>', `<${verb}/>`);
}

/** What the acknowledgement says of each request: [id, actionCode, reason]. */
function acknowledged(xml: string) {
  return xml
    .split('<ResponseCriteria>')
    .slice(1)
    .map((block) => [/OperationsRequest\[ID=(?:'|&apos;)([^'&]+)/.exec(block)?.[1], /<Code>(\w+)<\/Code>/.exec(block)?.[1], /<Reason>([^<]*)<\/Reason>/.exec(block)?.[1] ?? null]);
}

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
  await t.settle();
  await kingdeeSystem(admin);
  // an outside MES with codes of its own
  await ok(admin('PUT', '/api/v1/integration/systems/LMES', { name: 'Line MES', role: 'mes' }));
  await ok(admin('PUT', '/api/v1/integration/systems/LMES/code-maps/item', [{ external: 'T-700', internal: 'TYRE' }]));
  await ok(admin('PUT', '/api/v1/integration/systems/LMES/code-maps/uom', [{ external: 'EA', internal: 'pcs', factor: 1 }]));
  await ok(admin('PUT', '/api/v1/integration/systems/LMES/code-maps/workCenter', [{ external: 'L1-ASM', internal: 'ASSEMBLY' }]));
}, 180_000);
afterAll(() => t?.close());

describe(`B2MML from outside systems, codes translated (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('a ProcessOperationsSchedule in Kingdee codes becomes a work order for the right item and quantity, acknowledged', async () => {
    const r = await admin('POST', `${B2MML}?system=KD`, schedule('Process', 'KD-B-1'), XML);
    expect(r.status).toBe(202);
    expect((await validateB2mml(r.body)).valid).toBe(true);
    expect(acknowledged(r.body)).toEqual([['KD-B-1', 'Accepted', null]]);
    expect(await topOf('KD-B-1')).toMatchObject({ itemCode: 'WHEEL', qty: 150, externalSystem: 'KD', dueDate: '2026-12-20' });
  });

  it('codes without a map are all listed with 422 and nothing is made', async () => {
    const r = await admin('POST', `${B2MML}?system=KD`, schedule('Process', 'KD-B-X', { item: '99.99', uom: 'DRUM' }), XML);
    expect(r.status).toBe(422);
    expect(r.body.error.details.unmapped).toEqual([{ kind: 'item', external: '99.99' }, { kind: 'uom', external: 'DRUM' }]);
    expect(await topOf('KD-B-X')).toBeUndefined();
  });

  it('a document that fails the XSD is 400 with the schema message; an unknown system is 404', async () => {
    const bad = schedule('Process', 'KD-B-BAD').replace('<OperationsType>Production</OperationsType>', '<Colour>red</Colour>');
    const r = await admin('POST', `${B2MML}?system=KD`, bad, XML);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/Colour/);
    expect((await admin('POST', `${B2MML}?system=NOPE`, schedule('Process', 'KD-B-2'), XML)).status).toBe(404);
  });

  it('an outside MES reports by ProcessOperationsPerformance: the operation runs, material is consumed, the cut below it is rejected', async () => {
    await ok(admin('POST', `${B2MML}?system=KD`, schedule('Process', 'KD-B-3'), XML), 202);
    const top = await topOf('KD-B-3');
    const perf = buildOperationsPerformance({
      id: 'LMES-P-1',
      createdAt: new Date(),
      sender: 'LMES',
      workOrders: [
        {
          id: top.id,
          itemCode: 'W-700',
          uom: 'EA',
          operations: [{ seq: 10, name: 'Mount', workCenter: 'L1-ASM', goodQty: 120, scrapQty: 1, scrapReason: 'pinched tube', state: 'Completed', labour: [{ personId: 'wang.fang', minutes: 90 }], machineMinutes: 80 }],
          consumed: [{ itemCode: 'T-700', lotId: 'TYR-L1', qty: 12, uom: 'EA', operationSeq: 10 }],
          produced: [],
        },
      ],
    });
    const r = await ok(admin('POST', `${B2MML}?system=LMES`, perf, XML), 202);
    expect(r.rejected).toEqual([]);
    const after = await ok(admin('GET', `/api/v1/mes/work-orders/${top.id}`));
    expect(after.status).toBe('in_progress');
    expect(after.operations[0]).toMatchObject({ seq: 10, status: 'done', goodQty: 120, scrapQty: 1, operators: ['wang.fang'] });
    await t.settle();
    expect((await ok(admin('GET', '/api/v1/erp/inventory/TYRE'))).onHand).toBe(28);

    const cut = await admin('POST', `${B2MML}?system=KD`, schedule('Change', 'KD-B-3', { qty: 2 }), XML);
    expect(cut.status).toBe(202);
    expect(acknowledged(cut.body)).toEqual([['KD-B-3', 'Rejected', `cut to 100 is below the 121 already started at ${top.id}`]]);
    expect(await topOf('KD-B-3')).toMatchObject({ qty: 150 });
  });

  it('a ChangeOperationsSchedule changes quantity and date; a CancelOperationsSchedule cancels', async () => {
    await ok(admin('POST', `${B2MML}?system=KD`, schedule('Process', 'KD-B-4'), XML), 202);
    const change = await admin('POST', `${B2MML}?system=KD`, schedule('Change', 'KD-B-4', { qty: 4, dueDate: '2026-12-24' }), XML);
    expect(acknowledged(change.body)).toEqual([['KD-B-4', 'Accepted', null]]);
    expect(await topOf('KD-B-4')).toMatchObject({ qty: 200, dueDate: '2026-12-24' });
    const cancel = await admin('POST', `${B2MML}?system=KD`, schedule('Cancel', 'KD-B-4'), XML);
    expect(cancel.status).toBe(202);
    expect(acknowledged(cancel.body)).toEqual([['KD-B-4', 'Accepted', null]]);
    expect((await topOf('KD-B-4')).status).toBe('cancelled');
    const unknown = await admin('POST', `${B2MML}?system=KD`, schedule('Cancel', 'KD-NEVER'), XML);
    expect(acknowledged(unknown.body)).toEqual([['KD-NEVER', 'Rejected', 'no work orders for externalRef KD-NEVER']]);
  });
});
