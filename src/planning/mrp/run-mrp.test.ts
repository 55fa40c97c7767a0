import { describe, expect, it } from 'vitest';
import { runMrp, type MrpInput } from './index.ts';

/*
 * Worked by hand. today = 2026-03-02 (Mon).
 *
 *   BIKE  (finished, make, LT 2, lot-for-lot)          on hand 4
 *   ├─ FRAME ×1 (semi, make, LT 3, minimum lot 30)     on hand 5
 *   │   └─ TUBE ×3, scrap 10 %  → 3.3 per frame
 *   ├─ WHEEL ×2 (semi, make, LT 1, safety stock 5)     on hand 6
 *   │   └─ SPOKE ×4, scrap 10 % → 4.4 per wheel
 *   └─ TUBE ×0.3
 *   TUBE  (raw, purchase, LT 7, fixed lot 50)          on hand 20, PO-7/1: 40 due 03-12
 *   SPOKE (raw, purchase, LT 10, lot-for-lot)          on hand 0
 * Low-level codes: BIKE 0 · FRAME, WHEEL 1 · TUBE 2 (under FRAME, though also under BIKE) · SPOKE 2.
 * Demands: SO-1/1 BIKE 10 due 03-20 · SO-2/1 BIKE 15 due 03-25 · SO-3/1 WHEEL 4 due 03-10 (spare wheels).
 *
 * BIKE: 03-20 4−10 = −6 → make 6 due 03-20, release 03-18 [on hand 4 + this 6 serve SO-1/1]
 *       03-25 0−15 → make 15 due 03-25, release 03-23 [SO-2/1]
 *   dependent @03-18 [SO-1/1]: FRAME 6, WHEEL 12, TUBE 6×0.3 = 1.8
 *   dependent @03-23 [SO-2/1]: FRAME 15, WHEEL 30, TUBE 15×0.3 = 4.5
 * FRAME: 03-18 5−6 = −1 → net 1, minimum 30 → make 30 due 03-18, release 03-15; balance 29
 *        03-23 29−15 = 14, no order; the 30 served both → [SO-1/1, SO-2/1]
 *   dependent TUBE 30×3×1.1 = 99 @03-15 [SO-1/1, SO-2/1]
 * WHEEL (safety 5): 03-02 6 ≥ 5 ok
 *        03-10 6−4 = 2 < 5 → make 3 due 03-10, rel 03-09; on hand serves SO-3/1 (2 left)
 *        03-18 5−12 = −7 → net 12 → make 12 due 03-18, rel 03-17;
 *              the 12 [SO-1/1] takes on hand 2, the 3 (→ [SO-1/1]), 7 of the 12
 *        03-23 5−30 = −25 → net 30 → make 30 due 03-23, rel 03-22;
 *              the 30 [SO-2/1] takes the 12's last 5 (→ [SO-1/1, SO-2/1]), 25 of the 30 (→ [SO-2/1]); 5 kept
 *   dependent SPOKE: 3×4.4 = 13.2 @03-09 [SO-1/1], 12×4.4 = 52.8 @03-17 [both], 30×4.4 = 132 @03-22 [SO-2/1]
 * TUBE: requirements 99 @03-15 [both], 1.8 @03-18 [SO-1/1], 4.5 @03-23 [SO-2/1]
 *        03-12 PO-7/1 +40 → 60;  03-15 60−99 = −39 → fixed 50 → buy 50 due 03-15, rel 03-08; balance 11
 *        03-18 11−1.8 = 9.2;  03-23 9.2−4.5 = 4.7, no more orders; the 50 served all three → [both]
 * SPOKE: lot-for-lot 13.2 due 03-09 (release 02-27: 3 days before today → past-due-release),
 *        52.8 due 03-17 rel 03-07, 132 due 03-22 rel 03-12.
 */
const bikeExample: MrpInput = {
  today: '2026-03-02',
  items: [
    { code: 'BIKE', kind: 'finished', leadTimeDays: 2 },
    { code: 'FRAME', kind: 'semi', leadTimeDays: 3, lotSizing: { rule: 'minimum', qty: 30 } },
    { code: 'WHEEL', kind: 'semi', leadTimeDays: 1, safetyStock: 5 },
    { code: 'TUBE', kind: 'raw', leadTimeDays: 7, lotSizing: { rule: 'fixed', qty: 50 } },
    { code: 'SPOKE', kind: 'raw', leadTimeDays: 10, lotSizing: { rule: 'lot-for-lot' } },
  ],
  boms: [
    {
      parent: 'BIKE',
      components: [
        { itemCode: 'FRAME', qty: 1 },
        { itemCode: 'WHEEL', qty: 2 },
        { itemCode: 'TUBE', qty: 0.3 },
      ],
    },
    { parent: 'FRAME', components: [{ itemCode: 'TUBE', qty: 3, scrapFactor: 0.1 }] },
    { parent: 'WHEEL', components: [{ itemCode: 'SPOKE', qty: 4, scrapFactor: 0.1 }] },
  ],
  demands: [
    { itemCode: 'BIKE', qty: 10, dueDate: '2026-03-20', ref: 'SO-1/1' },
    { itemCode: 'BIKE', qty: 15, dueDate: '2026-03-25', ref: 'SO-2/1' },
    { itemCode: 'WHEEL', qty: 4, dueDate: '2026-03-10', ref: 'SO-3/1' },
  ],
  onHand: [
    { itemCode: 'BIKE', qty: 4 },
    { itemCode: 'FRAME', qty: 5 },
    { itemCode: 'WHEEL', qty: 6 },
    { itemCode: 'TUBE', qty: 20 },
  ],
  scheduledReceipts: [{ itemCode: 'TUBE', qty: 40, dueDate: '2026-03-12', ref: 'PO-7/1' }],
};

describe('runMrp on the hand-worked bike example', () => {
  it('plans exactly the orders worked out by hand', () => {
    const { plannedOrders } = runMrp(bikeExample);
    const S1 = 'SO-1/1';
    const S2 = 'SO-2/1';
    expect(plannedOrders).toEqual([
      { itemCode: 'BIKE', qty: 6, kind: 'make', releaseDate: '2026-03-18', dueDate: '2026-03-20', peggedTo: [S1] },
      { itemCode: 'BIKE', qty: 15, kind: 'make', releaseDate: '2026-03-23', dueDate: '2026-03-25', peggedTo: [S2] },
      { itemCode: 'FRAME', qty: 30, kind: 'make', releaseDate: '2026-03-15', dueDate: '2026-03-18', peggedTo: [S1, S2] },
      { itemCode: 'SPOKE', qty: 13.2, kind: 'purchase', releaseDate: '2026-02-27', dueDate: '2026-03-09', peggedTo: [S1] },
      { itemCode: 'SPOKE', qty: 52.8, kind: 'purchase', releaseDate: '2026-03-07', dueDate: '2026-03-17', peggedTo: [S1, S2] },
      { itemCode: 'SPOKE', qty: 132, kind: 'purchase', releaseDate: '2026-03-12', dueDate: '2026-03-22', peggedTo: [S2] },
      { itemCode: 'TUBE', qty: 50, kind: 'purchase', releaseDate: '2026-03-08', dueDate: '2026-03-15', peggedTo: [S1, S2] },
      { itemCode: 'WHEEL', qty: 3, kind: 'make', releaseDate: '2026-03-09', dueDate: '2026-03-10', peggedTo: [S1] },
      { itemCode: 'WHEEL', qty: 12, kind: 'make', releaseDate: '2026-03-17', dueDate: '2026-03-18', peggedTo: [S1, S2] },
      { itemCode: 'WHEEL', qty: 30, kind: 'make', releaseDate: '2026-03-22', dueDate: '2026-03-23', peggedTo: [S2] },
    ]);
  });

  it('reports the SPOKE order that should have been released 3 days ago', () => {
    expect(runMrp(bikeExample).exceptions).toEqual([
      {
        kind: 'past-due-release',
        itemCode: 'SPOKE',
        qty: 13.2,
        releaseDate: '2026-02-27',
        dueDate: '2026-03-09',
        daysLate: 3,
        peggedTo: ['SO-1/1'],
      },
    ]);
  });

  it('leaves peggedTo empty, and the quantities unchanged, when pegging is off', () => {
    const withPegs = runMrp(bikeExample).plannedOrders;
    const withoutPegs = runMrp(bikeExample, { pegging: false }).plannedOrders;
    expect(withoutPegs).toEqual(withPegs.map((order) => ({ ...order, peggedTo: [] })));
  });
});
