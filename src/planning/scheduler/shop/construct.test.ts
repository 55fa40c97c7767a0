import { describe, expect, it } from 'vitest';
import { checkShopPlan } from './check.ts';
import { compileShopProblem } from './compile.ts';
import { constructShop } from './construct.ts';
import { computePriorities } from './priorities.ts';
import { ShopDecoder } from './decoder.ts';
import { ShopSequences } from './search.ts';
import type { ShopProblem } from './types.ts';

/** The critical-ratio rule: time left to the due date over the work left, smallest first, at the moment of choice. */
describe('critical ratio (CR) dispatching', () => {
  // at 0: LONG has 150 min for 100 min of work (1.5), SHORT 20 for 10 (2.0): CR takes LONG, EDD SHORT
  const problem: ShopProblem = {
    workOrders: [
      { id: 'SHORT', dueMinutes: 20, operations: [{ id: 'S1', workCenter: 'M', durationMinutes: 10 }] },
      { id: 'LONG', dueMinutes: 150, operations: [{ id: 'L1', workCenter: 'M', durationMinutes: 100 }] },
      { id: 'FREE', operations: [{ id: 'F1', workCenter: 'M', durationMinutes: 5 }] },
    ],
  };
  const p = compileShopProblem(problem);
  const pr = computePriorities(p);
  const order = (rule: 'CR' | 'EDD') => constructShop(p, pr, rule).seqs[0].map((i) => p.ids[i]);

  it('serves the smallest ratio first, work without a due date last', () => {
    expect(order('CR')).toEqual(['L1', 'S1', 'F1']);
    expect(order('EDD')).toEqual(['S1', 'L1', 'F1']);
  });

  it('gives a feasible schedule whose figures the decoder confirms', () => {
    const built = constructShop(p, pr, 'CR');
    const d = new ShopDecoder(p);
    const seq = new ShopSequences(p.n, built.seqs);
    const score = { makespan: 0, tardiness: 0 };
    expect(d.decode(seq.machPrev, seq.machNext, score)).toBe(true);
    expect(score).toEqual(built.score);
    expect(score.tardiness).toBe(90); // SHORT ends at 110, 90 late
    expect(checkShopPlan(problem, p.ids.map((id, i) => ({ id, start: d.start[i], end: d.end[i] })))).toEqual([]);
  });
});
