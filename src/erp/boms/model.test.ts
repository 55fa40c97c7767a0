import { describe, expect, it } from 'vitest';
import { findCycle, rollUp } from './model.ts';

describe('BOM rules (pure)', () => {
  it('finds the path of a cycle and none when there is none', () => {
    const g: Record<string, string[]> = { A: ['B'], B: ['C'], C: ['A'], D: ['B'] };
    expect(findCycle('A', (c) => g[c] ?? [])).toEqual(['A', 'B', 'C', 'A']);
    expect(findCycle('D', (c) => (c === 'D' ? ['E'] : []))).toBeNull();
    expect(findCycle('X', (c) => (c === 'X' ? ['X'] : []))).toEqual(['X', 'X']);
  });

  it('rolls standard cost up through every level by low-level code, with scrap', () => {
    const items = ['FG', 'SUB', 'RAW1', 'RAW2'].map((code) => ({ code, standardCost: code === 'RAW1' ? 2 : code === 'RAW2' ? 3 : 99 }));
    const { cost, level } = rollUp(items, [
      { parent: 'FG', component: 'SUB', qty: 2, scrapFactor: 0 },
      { parent: 'FG', component: 'RAW2', qty: 1, scrapFactor: 0 },
      { parent: 'SUB', component: 'RAW1', qty: 1, scrapFactor: 0.5 },
      { parent: 'SUB', component: 'RAW2', qty: 1, scrapFactor: 0 },
    ]);
    expect(cost.get('SUB')).toBe(6); // 2 × 1.5 + 3
    expect(cost.get('FG')).toBe(15); // 2 × 6 + 3
    expect(level.get('FG')).toBe(0);
    expect(level.get('RAW2')).toBe(2); // its lowest use decides
  });
});
