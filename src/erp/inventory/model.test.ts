import { describe, expect, it } from 'vitest';
import { movingAverage, netByBalance, statusMoveKind } from './model.ts';

describe('inventory rules (pure)', () => {
  it('keeps a moving average over receipts', () => {
    expect(movingAverage(0, 0, 100, 2)).toBe(2);
    expect(movingAverage(100, 2, 50, 5)).toBe(3);
    expect(movingAverage(0, 7, 10, 1.1)).toBe(1.1);
  });

  it('nets moves per balance, so a batch locks and checks each balance once', () => {
    const base = { kind: 'issue' as const, itemCode: 'A', lot: 'L', warehouse: 'MAIN', status: 'available' as const, unitCost: 1 };
    expect(netByBalance([{ ...base, qty: -1 }, { ...base, qty: -2 }, { ...base, lot: 'M', qty: 4 }])).toEqual([
      { itemCode: 'A', lot: 'L', warehouse: 'MAIN', status: 'available', qty: -3 },
      { itemCode: 'A', lot: 'M', warehouse: 'MAIN', status: 'available', qty: 4 },
    ]);
    expect([statusMoveKind('hold'), statusMoveKind('available'), statusMoveKind('rejected')]).toEqual(['hold', 'release', 'reject']);
  });
});
