import { describe, expect, it } from 'vitest';
import { canMove, judgeChange, ORDER_STATUSES, progressOf, scaledQty } from './model.ts';

const LEGAL = new Set([
  'draft>released',
  'draft>cancelled',
  'released>in_production',
  'released>cancelled',
  'in_production>completed',
  'in_production>cancelled',
  'completed>shipped',
]);

describe('sales order state machine (pure)', () => {
  for (const from of ORDER_STATUSES)
    for (const to of ORDER_STATUSES) {
      const legal = LEGAL.has(`${from}>${to}`);
      it(`${from} → ${to} is ${legal ? 'legal' : 'refused'}`, () => expect(canMove(from, to)).toBe(legal));
    }

  it('judges a change against what is already produced, and scales work orders pro rata', () => {
    expect(judgeChange(3, 4)).toEqual({ feasible: false, reason: 'quantity 3 is below what is already produced (4)' });
    expect(judgeChange(4, 4)).toEqual({ feasible: true });
    expect(judgeChange(undefined, 4)).toEqual({ feasible: true });
    expect(scaledQty(20, 10, 15)).toBe(30);
    expect(progressOf(12, 10)).toBe(1);
    expect(progressOf(1, 3)).toBe(0.3333);
  });
});
