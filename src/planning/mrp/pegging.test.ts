import { describe, expect, it } from 'vitest';
import { runMrp, type MrpInput, type PlannedOrder } from './index.ts';

// CAR (LT 1) → BODY ×1 (LT 2) → STEEL ×2.5 (LT 5, fixed lot 100);  VAN (LT 1) → BODY ×1
const fleet: MrpInput = {
  today: '2026-05-04',
  items: [
    { code: 'CAR', kind: 'finished', leadTimeDays: 1 },
    { code: 'VAN', kind: 'finished', leadTimeDays: 1 },
    { code: 'BODY', kind: 'semi', leadTimeDays: 2 },
    { code: 'STEEL', kind: 'raw', leadTimeDays: 5, lotSizing: { rule: 'fixed', qty: 100 } },
  ],
  boms: [
    { parent: 'CAR', components: [{ itemCode: 'BODY', qty: 1 }] },
    { parent: 'VAN', components: [{ itemCode: 'BODY', qty: 1 }] },
    { parent: 'BODY', components: [{ itemCode: 'STEEL', qty: 2.5 }] },
  ],
  demands: [
    { itemCode: 'CAR', qty: 10, dueDate: '2026-05-20', ref: 'SO-10/1' },
    { itemCode: 'VAN', qty: 4, dueDate: '2026-05-21', ref: 'SO-11/2' },
    { itemCode: 'CAR', qty: 30, dueDate: '2026-06-10', ref: 'SO-12/1' },
    // material of an open work order: a top-level demand of its own on BODY
    { itemCode: 'BODY', qty: 2, dueDate: '2026-05-15', ref: 'WO-7' },
  ],
  onHand: [],
  scheduledReceipts: [],
};

const ordersOf = (orders: PlannedOrder[], itemCode: string) => orders.filter((o) => o.itemCode === itemCode);

describe('pegging through BOM levels', () => {
  it('pegs each lower-level order to the top-level refs it serves, never to intermediate orders', () => {
    const { plannedOrders } = runMrp(fleet);
    expect(ordersOf(plannedOrders, 'BODY').map((o) => [o.dueDate, o.qty, o.peggedTo])).toEqual([
      ['2026-05-15', 2, ['WO-7']],
      ['2026-05-19', 10, ['SO-10/1']],
      ['2026-05-20', 4, ['SO-11/2']],
      ['2026-06-09', 30, ['SO-12/1']],
    ]);
    // STEEL needs 5 @05-13, 25 @05-17, 10 @05-18, 75 @06-07. The first lot of 100 covers the
    // first three (and 60 of the fourth): it serves WO-7, SO-10/1, SO-11/2 and SO-12/1.
    expect(ordersOf(plannedOrders, 'STEEL')).toEqual([
      {
        itemCode: 'STEEL', qty: 100, kind: 'purchase', releaseDate: '2026-05-08', dueDate: '2026-05-13',
        peggedTo: ['SO-10/1', 'SO-11/2', 'SO-12/1', 'WO-7'],
      },
      {
        itemCode: 'STEEL', qty: 100, kind: 'purchase', releaseDate: '2026-06-02', dueDate: '2026-06-07',
        peggedTo: ['SO-12/1'],
      },
    ]);
  });

  it('pegs stock-only supply to nothing and keeps safety-stock orders unpegged', () => {
    const { plannedOrders } = runMrp({
      today: '2026-05-04',
      items: [{ code: 'OIL', kind: 'raw', leadTimeDays: 3, safetyStock: 8 }],
      boms: [],
      demands: [],
      onHand: [{ itemCode: 'OIL', qty: 5 }],
      scheduledReceipts: [],
    });
    expect(plannedOrders).toEqual([
      { itemCode: 'OIL', qty: 3, kind: 'purchase', releaseDate: '2026-05-01', dueDate: '2026-05-04', peggedTo: [] },
    ]);
  });

  it('pegs a parent order serving several demands to all of them, and its components too', () => {
    const input: MrpInput = {
      ...fleet,
      items: fleet.items.map((item) => (item.code === 'CAR' ? { ...item, lotSizing: { rule: 'minimum', qty: 50 } } : item)),
    };
    const { plannedOrders } = runMrp(input);
    expect(ordersOf(plannedOrders, 'CAR').map((o) => [o.qty, o.peggedTo])).toEqual([[50, ['SO-10/1', 'SO-12/1']]]);
    const carBody = ordersOf(plannedOrders, 'BODY').find((o) => o.dueDate === '2026-05-19');
    expect(carBody).toMatchObject({ qty: 50, peggedTo: ['SO-10/1', 'SO-12/1'] });
  });
});
