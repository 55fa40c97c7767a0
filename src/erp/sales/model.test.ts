import { describe, expect, it } from 'vitest';
import { canMove, judgeChange, ORDER_STATUSES, progressByStandard, progressOf, scaledQty } from './model.ts';

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

describe('progress by standard hours', () => {
  const wo = (standardMinutes: number | null, qty: number, goodQty: number, status = 'in_progress') => ({ standardMinutes, qty, goodQty, status });
  it('counts the good quantity of every level by its standard minutes', () => {
    // a sub-assembly of 60 minutes 40 % done, the top of 25 minutes not begun: 24 / 85
    expect(progressByStandard([wo(25, 10, 0), wo(60, 10, 4)], 0, 10)).toBe(0.2824);
    expect(progressByStandard([wo(25, 10, 5), wo(60, 10, 10, 'completed')], 5, 10)).toBe(0.8529);
  });
  it('a completed work order counts whole, a cancelled one not at all, and good above qty no more than qty', () => {
    expect(progressByStandard([wo(25, 10, 9, 'completed'), wo(60, 10, 3, 'cancelled')], 9, 10)).toBe(1);
    expect(progressByStandard([wo(40, 10, 12)], 12, 10)).toBe(1);
  });
  it('falls back to the finished quantity without standard minutes', () => {
    expect(progressByStandard([wo(null, 10, 4), wo(null, 20, 20, 'completed')], 4, 10)).toBe(0.4);
    expect(progressByStandard([], 0, 10)).toBe(0);
  });
});
