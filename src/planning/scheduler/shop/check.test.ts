import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../../calendar.ts';
import { checkShopPlan } from './check.ts';
import { scheduleShop } from './schedule.ts';
import { ShopProblemError, type ShopProblem } from './types.ts';

const origin = Date.parse('2026-12-07T00:00:00Z'); // a Monday
const dayShift = compileCalendar({ utcOffsetMinutes: 0, shifts: [1, 2, 3, 4, 5].map((day) => ({ day, from: '08:00', to: '16:00' })) }, origin);

const problem: ShopProblem = {
  calendars: { A: dayShift, B: dayShift },
  horizonStart: 0,
  workOrders: [
    { id: 'W1', operations: [{ id: 'W1-1', workCenter: 'A', durationMinutes: 60 }, { id: 'W1-2', workCenter: 'B', durationMinutes: 30 }] },
    { id: 'W2', operations: [{ id: 'W2-1', workCenter: 'A', durationMinutes: 120, predecessors: ['W1-2'] }] },
  ],
};

describe('checkShopPlan', () => {
  const good = [
    { id: 'W1-1', start: 480, end: 540 },
    { id: 'W1-2', start: 540, end: 570 },
    { id: 'W2-1', start: 570, end: 690 },
  ];

  it('accepts a feasible plan', () => {
    expect(checkShopPlan(problem, good)).toEqual([]);
  });

  it('names overlaps, broken precedence, time outside the calendar, and missing operations', () => {
    expect(checkShopPlan(problem, [good[0], good[1], { id: 'W2-1', start: 500, end: 620 }])).toEqual([
      'operation W2-1 starts at 500, before its predecessor W1-2 ends at 570',
      'A: W1-1 and W2-1 overlap',
    ]);
    expect(checkShopPlan(problem, [{ id: 'W1-1', start: 0, end: 60 }, good[1], good[2]])).toEqual([
      'operation W1-1 starts outside working time on A',
      'operation W1-1 has 0 working minutes on A, needs 60',
    ]);
    // over the night: 15:30 to 08:30 the next day is 60 working minutes
    expect(checkShopPlan(problem, [good[0], good[1], { id: 'W2-1', start: 930, end: 1440 + 480 + 90 }])).toEqual([]);
    expect(checkShopPlan(problem, [good[0], good[1]])).toEqual(['operation W2-1 is not planned']);
  });

  it('holds frozen operations, downtime and the operation\'s own work centres', () => {
    const frozen: ShopProblem = { ...problem, downtime: { B: [{ start: 0, end: 560 }] } };
    expect(checkShopPlan(frozen, [good[0], { ...good[1], workCenter: 'C' }, good[2]])).toEqual(['operation W1-2 runs on C, which is not one of its work centres']);
    expect(checkShopPlan(frozen, good)).toEqual(['operation W1-2 runs on B while it is down']);
  });

  it('accepts what the scheduler plans for a problem with calendars, frozen work and links between work orders', () => {
    const big: ShopProblem = {
      calendars: { A: dayShift, B: dayShift, C: dayShift },
      horizonStart: 500,
      workOrders: Array.from({ length: 12 }, (_, w) => ({
        id: `W${w}`,
        dueMinutes: 1440 * (1 + (w % 3)),
        operations: ['A', 'B', 'C'].map((wc, k) => ({
          id: `W${w}-${k}`,
          workCenter: w % 2 ? wc : ['C', 'A', 'B'][k],
          durationMinutes: 30 + ((w * 7 + k * 13) % 90),
          ...(w === 0 && k === 0 ? { frozen: { start: 480, end: 540 } } : {}),
          ...(w === 5 && k === 0 ? { predecessors: ['W4-2'] } : {}),
        })),
      })),
    };
    const plan = scheduleShop(big, { objective: 'tardiness', maxIterations: 200, seed: 3 });
    expect(checkShopPlan(big, plan.operations)).toEqual([]);
  });
});

describe('alternative work centres', () => {
  const twoCentres = (downtime?: ShopProblem['downtime']): ShopProblem => ({
    calendars: { A: dayShift, B: dayShift },
    ...(downtime ? { downtime } : {}),
    workOrders: [1, 2, 3, 4].map((w) => ({ id: `W${w}`, operations: [{ id: `W${w}-1`, workCenter: 'A', durationMinutes: 120, alternatives: ['B'] }] })),
  });

  it('uses the alternative when the first work centre is down, and plans nothing on it while down', () => {
    const problem = twoCentres({ A: [{ start: 0, end: 1440 * 5 }] });
    const plan = scheduleShop(problem, { objective: 'makespan', maxIterations: 50 });
    expect(plan.operations.map((o) => o.workCenter)).toEqual(['B', 'B', 'B', 'B']);
    expect(checkShopPlan(problem, plan.operations)).toEqual([]);
  });

  it('shares the load between the first work centre and its alternative when both are up', () => {
    const problem = twoCentres();
    const plan = scheduleShop(problem, { objective: 'makespan', maxIterations: 50 });
    expect(plan.operations.map((o) => o.workCenter)).toEqual(['A', 'B', 'A', 'B']);
    expect(plan.makespan).toBe(480 + 240);
    expect(checkShopPlan(problem, plan.operations)).toEqual([]);
  });

  it('refuses an alternative naming an unknown work centre, a centre without working time, and a cycle, naming them', () => {
    const unknown = twoCentres();
    unknown.workOrders[0].operations[0].alternatives = ['NOPE'];
    expect(() => scheduleShop(unknown)).toThrow(new ShopProblemError('operation W1-1: unknown alternative work centre NOPE'));
    const closed = compileCalendar({ utcOffsetMinutes: 0, shifts: [] , exceptions: [] }, origin);
    const never = { ...closed, alwaysOpen: false, nextWorkingTime: () => { throw new RangeError('no working time'); } };
    expect(() => scheduleShop({ calendars: { A: never }, workOrders: [{ id: 'W', operations: [{ id: 'W-1', workCenter: 'A', durationMinutes: 5 }] }] })).toThrow(
      new ShopProblemError('work centre A has no working time in the horizon (operation W-1)'),
    );
    const cycle: ShopProblem = {
      workOrders: [
        { id: 'X', operations: [{ id: 'X-1', workCenter: 'A', durationMinutes: 5, predecessors: ['Y-1'] }] },
        { id: 'Y', operations: [{ id: 'Y-1', workCenter: 'A', durationMinutes: 5, predecessors: ['X-1'] }] },
      ],
    };
    expect(() => scheduleShop(cycle)).toThrow(new ShopProblemError('operation precedence contains a cycle through X-1, Y-1'));
  });
});
