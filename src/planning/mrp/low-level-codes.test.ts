import { describe, expect, it } from 'vitest';
import { MrpBomCycleError, MrpInputError, runMrp, type MrpInput } from './index.ts';

function withBoms(codes: string[], boms: MrpInput['boms']): MrpInput {
  return {
    today: '2026-01-05',
    items: codes.map((code) => ({ code, kind: 'semi' as const, leadTimeDays: 1 })),
    boms,
    demands: [{ itemCode: codes[0], qty: 1, dueDate: '2026-01-20', ref: 'SO-1/1' }],
    onHand: [],
    scheduledReceipts: [],
  };
}

function cycleOf(input: MrpInput): string[] {
  try {
    runMrp(input);
  } catch (error) {
    if (error instanceof MrpBomCycleError) return error.cycle;
    throw error;
  }
  throw new Error('expected a BOM cycle');
}

describe('low-level codes and BOM cycles', () => {
  it('names a three-item cycle, starting at its smallest code', () => {
    const input = withBoms(['TOP', 'C', 'A', 'B', 'LEAF'], [
      { parent: 'TOP', components: [{ itemCode: 'B', qty: 1 }] },
      { parent: 'A', components: [{ itemCode: 'B', qty: 1 }, { itemCode: 'LEAF', qty: 1 }] },
      { parent: 'B', components: [{ itemCode: 'C', qty: 1 }] },
      { parent: 'C', components: [{ itemCode: 'A', qty: 2 }] },
    ]);
    expect(cycleOf(input)).toEqual(['A', 'B', 'C', 'A']);
    expect(() => runMrp(input)).toThrow('BOM cycle: A → B → C → A');
    expect(() => runMrp(input)).toThrow(MrpInputError);
  });

  it('names an item that is its own component', () => {
    expect(cycleOf(withBoms(['X'], [{ parent: 'X', components: [{ itemCode: 'X', qty: 1 }] }]))).toEqual(['X', 'X']);
  });

  it('plans a shared component once, after all its parents (at its lowest level)', () => {
    // TOP → MID → PART and TOP → PART: PART must net the demand of both parents together
    const input: MrpInput = {
      ...withBoms(['TOP', 'MID', 'PART'], [
        { parent: 'TOP', components: [{ itemCode: 'MID', qty: 1 }, { itemCode: 'PART', qty: 1 }] },
        { parent: 'MID', components: [{ itemCode: 'PART', qty: 1 }] },
      ]),
      items: [
        { code: 'TOP', kind: 'finished', leadTimeDays: 0 },
        { code: 'MID', kind: 'semi', leadTimeDays: 0 },
        { code: 'PART', kind: 'raw', leadTimeDays: 0, lotSizing: { rule: 'minimum', qty: 5 } },
      ],
    };
    const part = runMrp(input).plannedOrders.filter((order) => order.itemCode === 'PART');
    // 2 needed on 01-20; a minimum lot of 5 covers both, one order
    expect(part).toEqual([
      { itemCode: 'PART', qty: 5, kind: 'purchase', releaseDate: '2026-01-20', dueDate: '2026-01-20', peggedTo: ['SO-1/1'] },
    ]);
  });
});
