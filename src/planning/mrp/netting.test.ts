import { describe, expect, it } from 'vitest';
import { MrpInputError, runMrp, type MrpInput, type MrpItem } from './index.ts';

function single(item: Partial<MrpItem>, rest: Partial<MrpInput> = {}): MrpInput {
  return {
    today: '2026-01-05',
    items: [{ code: 'P', kind: 'raw', leadTimeDays: 2, ...item }],
    boms: [],
    demands: [],
    onHand: [],
    scheduledReceipts: [],
    ...rest,
  };
}
const demand = (qty: number, dueDate: string, ref: string) => ({ itemCode: 'P', qty, dueDate, ref });
const quantities = (input: MrpInput) => runMrp(input).plannedOrders.map((o) => [o.dueDate, o.qty]);

describe('netting and lot sizing', () => {
  it('orders whole multiples of a fixed lot and carries the excess forward', () => {
    const input = single({ lotSizing: { rule: 'fixed', qty: 50 } }, {
      demands: [demand(120, '2026-01-10', 'SO-1/1'), demand(20, '2026-01-11', 'SO-2/1'), demand(15, '2026-01-12', 'SO-3/1')],
    });
    // 120 → 150 (30 left); 20 from the excess (10 left); 15 → net 5 → 50
    expect(quantities(input)).toEqual([['2026-01-10', 150], ['2026-01-12', 50]]);
  });

  it('orders at least the minimum lot, more when the net requirement is larger', () => {
    const input = single({ lotSizing: { rule: 'minimum', qty: 25 } }, {
      demands: [demand(10, '2026-01-10', 'SO-1/1'), demand(60, '2026-01-20', 'SO-2/1')],
    });
    expect(quantities(input)).toEqual([['2026-01-10', 25], ['2026-01-20', 45]]);
  });

  it('nets stock and scheduled receipts in date order, a later receipt covering nothing earlier', () => {
    // stock 5: 8 on 01-10 → buy 3; PO 10 on 01-15; 11 on 01-20 → buy 1
    const input = single({}, {
      onHand: [{ itemCode: 'P', qty: 3 }, { itemCode: 'P', qty: 2 }],
      demands: [demand(8, '2026-01-10', 'SO-1/1'), demand(11, '2026-01-20', 'SO-2/1')],
      scheduledReceipts: [{ itemCode: 'P', qty: 10, dueDate: '2026-01-15', ref: 'PO-1/1' }],
    });
    expect(quantities(input)).toEqual([['2026-01-10', 3], ['2026-01-20', 1]]);
  });

  it('keeps safety stock: replenishes it today and after each demand', () => {
    const input = single({ safetyStock: 4 }, { onHand: [{ itemCode: 'P', qty: 1 }], demands: [demand(6, '2026-01-10', 'SO-1/1')] });
    expect(quantities(input)).toEqual([['2026-01-05', 3], ['2026-01-10', 6]]);
  });

  it('computes decimals exactly: 3 × 0.1 is 0.3 and 0.1 + 0.2 is 0.3', () => {
    const input: MrpInput = {
      today: '2026-01-05',
      items: [
        { code: 'KIT', kind: 'finished', leadTimeDays: 0 },
        { code: 'WIRE', kind: 'raw', leadTimeDays: 0 },
        { code: 'GLUE', kind: 'raw', leadTimeDays: 0 },
      ],
      boms: [{ parent: 'KIT', components: [{ itemCode: 'WIRE', qty: 0.1 }, { itemCode: 'GLUE', qty: 0.7, scrapFactor: 0.03 }] }],
      demands: [
        { itemCode: 'KIT', qty: 3, dueDate: '2026-01-06', ref: 'SO-1/1' },
        { itemCode: 'WIRE', qty: 0.1, dueDate: '2026-01-07', ref: 'SO-2/1' },
        { itemCode: 'WIRE', qty: 0.2, dueDate: '2026-01-07', ref: 'SO-3/1' },
      ],
      onHand: [],
      scheduledReceipts: [],
    };
    const orders = runMrp(input).plannedOrders.map((o) => [o.itemCode, o.dueDate, o.qty]);
    expect(orders).toEqual([
      ['GLUE', '2026-01-06', 2.163], // 3 × 0.7 × 1.03
      ['KIT', '2026-01-06', 3],
      ['WIRE', '2026-01-06', 0.3],
      ['WIRE', '2026-01-07', 0.3],
    ]);
  });

  it('rounds a dependent requirement half-up to the millionth', () => {
    const input: MrpInput = {
      today: '2026-01-05',
      items: [{ code: 'A', kind: 'finished', leadTimeDays: 0 }, { code: 'B', kind: 'raw', leadTimeDays: 0 }],
      boms: [{ parent: 'A', components: [{ itemCode: 'B', qty: 0.000001, scrapFactor: 0.5 }] }],
      demands: [{ itemCode: 'A', qty: 1, dueDate: '2026-01-06', ref: 'SO-1/1' }],
      onHand: [],
      scheduledReceipts: [],
    };
    expect(runMrp(input).plannedOrders.find((o) => o.itemCode === 'B')?.qty).toBe(0.000002);
  });

  it('leaves out demands and receipts beyond the horizon', () => {
    const input = single({}, { horizonDays: 10, demands: [demand(5, '2026-01-15', 'SO-1/1'), demand(7, '2026-01-16', 'SO-2/1')] });
    expect(quantities(input)).toEqual([['2026-01-15', 5]]);
  });

  it('buys a semi-finished item marked purchased instead of exploding it', () => {
    const input: MrpInput = {
      today: '2026-01-05',
      items: [
        { code: 'SUB', kind: 'semi', leadTimeDays: 4, purchased: true },
        { code: 'PIN', kind: 'raw', leadTimeDays: 1 },
      ],
      boms: [{ parent: 'SUB', components: [{ itemCode: 'PIN', qty: 2 }] }],
      demands: [{ itemCode: 'SUB', qty: 1, dueDate: '2026-01-20', ref: 'SO-1/1' }],
      onHand: [],
      scheduledReceipts: [],
    };
    expect(runMrp(input).plannedOrders.map((o) => [o.itemCode, o.kind])).toEqual([['SUB', 'purchase']]);
  });

  it('reports a made item without a BOM', () => {
    const input = single({ kind: 'semi' }, { demands: [demand(1, '2026-01-20', 'SO-1/1')] });
    const { plannedOrders, exceptions } = runMrp(input);
    expect(plannedOrders.map((o) => o.kind)).toEqual(['make']);
    expect(exceptions).toEqual([{ kind: 'missing-bom', itemCode: 'P' }]);
  });

  it('refuses unknown items, bad dates, negative quantities and bad lead times', () => {
    expect(() => runMrp(single({}, { demands: [{ itemCode: 'Q', qty: 1, dueDate: '2026-01-20', ref: 'SO-1/1' }] }))).toThrow(
      "demand SO-1/1: unknown item 'Q'",
    );
    expect(() => runMrp(single({}, { demands: [demand(1, '2026-02-30', 'SO-1/1')] }))).toThrow(MrpInputError);
    expect(() => runMrp(single({}, { demands: [demand(-1, '2026-01-20', 'SO-1/1')] }))).toThrow(MrpInputError);
    expect(() => runMrp(single({ leadTimeDays: 1.5 }))).toThrow(MrpInputError);
    expect(() => runMrp(single({ lotSizing: { rule: 'fixed', qty: 0 } }))).toThrow(MrpInputError);
    expect(() => runMrp(single({}, { today: '05/01/2026' }))).toThrow(MrpInputError);
  });
});
