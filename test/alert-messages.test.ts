import i18next from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_MESSAGES, raiseAlert, systemActor, type AlertMessageKey } from '../src/platform/index.ts';
import { alertMessageText, type AlertMessageFields } from '../web/src/lib/alert-message.ts';
import { resources } from '../web/src/locales.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { inDays, ok, orderWheels, runOperation, wheelShop, workOrdersOf } from './support/factory.ts';

const db = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';

let t: TestApp;
let admin: TestApp['call'];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(t.adminToken);
  await wheelShop(admin);
}, 120_000);
afterAll(() => t?.close());

const alertOf = async (kind: string, ref: string) => {
  const found = (await ok(admin('GET', `/api/v1/alerts?kind=${kind}`))).filter((a: any) => a.ref === ref);
  expect(found, `one ${kind} alert for ${ref}`).toHaveLength(1);
  return found[0];
};

describe(`alerts carry a message key and its values beside the English message (${db})`, () => {
  it('a stock issue below the reorder point: alert.reorder_point with the item, quantities and requisition', async () => {
    await ok(admin('POST', '/api/v1/erp/items', { code: 'BOLT', name: 'Bolt M8', kind: 'raw', uom: 'pcs', standardCost: 0.2, reorderPoint: 10, reorderQty: 100 }), 201);
    await ok(admin('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'BOLT', qty: 20, lot: 'BOLT-L1', unitCost: 0.2 }), 201);
    await ok(admin('POST', '/api/v1/erp/inventory/issues', { itemCode: 'BOLT', lot: 'BOLT-L1', qty: 15 }), 201);
    const alert = await alertOf('reorder', 'BOLT');
    expect(alert.messageKey).toBe('alert.reorder_point');
    expect(alert.params).toEqual({ item: 'BOLT', available: 5, onOrder: 0, reorderPoint: 10, requisition: expect.stringMatching(/^PR-/), qty: 100 });
    // the English message stays as it was (outside programs read it)
    expect(alert.message).toBe(`BOLT: available 5 + on order 0 is below the reorder point 10; requisition ${alert.params.requisition} for 100 raised`);
    // the live stream and webhooks carry them too
    const [raised] = await t.app.db.query(`select payload from platform.outbox where type = 'platform.alert.raised' and payload->>'id' = $1`, [String(alert.id)]);
    expect(raised.payload).toMatchObject({ messageKey: 'alert.reorder_point', params: alert.params, message: alert.message });
  });

  it('a work centre going down: alert.equipment_down, with the reason when one is given', async () => {
    await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'LACING', state: 'down', reason: 'spindle' }), 201);
    await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'ASSEMBLY', state: 'down' }), 201);
    expect(await alertOf('equipment_down', 'LACING')).toMatchObject({
      messageKey: 'alert.equipment_down_reason',
      params: { workCenter: 'LACING', reason: 'spindle' },
      message: 'work centre LACING is down: spindle',
    });
    expect(await alertOf('equipment_down', 'ASSEMBLY')).toMatchObject({ messageKey: 'alert.equipment_down', params: { workCenter: 'ASSEMBLY' } });
    await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'LACING', state: 'running' }), 201);
    await ok(admin('POST', '/api/v1/mes/equipment-events', { workCenter: 'ASSEMBLY', state: 'running' }), 201);
  });

  it('a failed inspection puts the lot on hold: alert.quality_hold_note with the inspection, work order, lot and note', async () => {
    const so = await orderWheels(admin, 2, 30);
    await t.settle();
    const { child } = await workOrdersOf(admin, so);
    const done = await runOperation(admin, child.operations[0].id, { goodQty: 2, complete: true });
    const lot = done.outputLots[0].lot;
    const inspection = await ok(admin('POST', '/api/v1/mes/inspections', { workOrder: child.id, lot, result: 'fail', note: 'bent spokes' }), 201);
    const alert = await alertOf('quality_hold', lot);
    expect(alert).toMatchObject({ messageKey: 'alert.quality_hold_note', params: { inspection: Number(inspection.id), workOrder: child.id, lot, note: 'bent spokes' } });
    expect(alert.message).toBe(`inspection ${inspection.id} of ${child.id} failed: lot ${lot} on hold (bent spokes)`);
  });

  it('an order of an item without routing: alert.routing_missing with the item', async () => {
    await ok(admin('POST', '/api/v1/erp/items', { code: 'SPARE', name: 'Spare wheel', kind: 'finished', uom: 'pcs', standardCost: 30 }), 201);
    const so = await ok(admin('POST', '/api/v1/erp/sales-orders', { customer: 'C-VELO', lines: [{ itemCode: 'SPARE', qty: 1, dueDate: inDays(30) }] }), 201);
    await ok(admin('POST', `/api/v1/erp/sales-orders/${so.id}/approve`));
    await t.settle();
    expect(await alertOf('rule', 'routing/SPARE')).toMatchObject({ messageKey: 'alert.routing_missing', params: { item: 'SPARE' } });
  });

  it('an alert raised without a key (as the relay raises integration failures) answers null key and params, and its message', async () => {
    await t.app.db.unitOfWork({ actor: systemActor, module: 'integration' }, (uow) =>
      raiseAlert(uow, { kind: 'integration_failure', severity: 'critical', ref: 'erp.orders/x-1', message: 'X could not be handled' }),
    );
    expect(await alertOf('integration_failure', 'erp.orders/x-1')).toMatchObject({ messageKey: null, params: null, message: 'X could not be handled' });
  });
});

describe('the web has en and zh-CN text for every alert message key', () => {
  const i18n = i18next.createInstance();
  beforeAll(() => i18n.init({ resources, lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false } }));
  /** As a screen shows it, in one language. */
  const shown = async (lng: string, a: AlertMessageFields) => {
    await i18n.changeLanguage(lng);
    return alertMessageText(i18n, a);
  };
  const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();
  const keys = Object.keys(ALERT_MESSAGES) as AlertMessageKey[];

  it.each(keys)('%s: both languages, with exactly the values the server sends', async (key) => {
    const names = [...ALERT_MESSAGES[key]].sort();
    const en = (resources.en.translation.alertMessage as Record<string, string>)[key];
    const zh = (resources['zh-CN'].translation.alertMessage as Record<string, string>)[key];
    expect(en, `en text of ${key}`).toBeTypeOf('string');
    expect(zh, `zh-CN text of ${key}`).toBeTypeOf('string');
    expect(placeholders(en)).toEqual(names);
    expect(placeholders(zh)).toEqual(names);
    // every value appears, nothing is left unfilled
    const params = Object.fromEntries(names.map((n) => [n, n === 'subject' ? 'order_qty' : `<${n}>`]));
    for (const lng of ['en', 'zh-CN']) {
      const text = await shown(lng, { message: 'the English message', messageKey: key, params });
      for (const [n, v] of Object.entries(params)) if (n !== 'subject') expect(text).toContain(v);
      expect(text).not.toMatch(/\{\{|\$t\(|reconcileKind|the English message/);
      if (lng === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('names what a reconciliation found in the reader’s language, and the raw kind when it has no text', async () => {
    const params = { subject: 'order_qty', ref: 'SO-1/1', erp: '10', mes: '12' };
    const a = { message: 'ERP and MES disagree on order_qty of SO-1/1: ERP 10, MES 12', messageKey: 'alert.reconciliation', params };
    expect(await shown('zh-CN', a)).toBe('ERP 与 MES 的订单数量不一致（SO-1/1）：ERP 10，MES 12');
    expect(await shown('en', a)).toBe('ERP and MES disagree on the order quantity of SO-1/1: ERP 10, MES 12');
    expect(await shown('zh-CN', { ...a, params: { ...params, subject: 'new_kind' } })).toBe('ERP 与 MES 的new_kind不一致（SO-1/1）：ERP 10，MES 12');
    expect(params).toEqual({ subject: 'order_qty', ref: 'SO-1/1', erp: '10', mes: '12' }); // not written into
  });

  it('shows the stored English message for an alert without a key, or with a key it has no text for', async () => {
    expect(await shown('zh-CN', { message: 'X could not be handled by erp.orders', messageKey: null, params: null })).toBe('X could not be handled by erp.orders');
    expect(await shown('zh-CN', { message: 'from a newer server', messageKey: 'alert.not_a_key', params: { item: 'A' } })).toBe('from a newer server');
    expect(await shown('zh-CN', { message: 'old', messageKey: 'alert.equipment_down', params: { workCenter: 'CUT' } })).toBe('工作中心 CUT 设备停机');
  });
});
