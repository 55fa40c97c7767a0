import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../../calendar.ts';
import { checkShopPlan } from './check.ts';
import { scheduleShop } from './schedule.ts';
import { ShopProblemError, type ShopProblem } from './types.ts';

/**
 * Sequence-dependent setups: a press changes over between colours (setup families) for the
 * minutes its matrix says; the scheduler plans the changeovers and groups families when that
 * shortens the plan, and the feasibility checker holds a plan to the same rule.
 */
const origin = Date.parse('2026-12-07T00:00:00Z'); // a Monday
const dayShift = compileCalendar({ utcOffsetMinutes: 0, shifts: [1, 2, 3, 4, 5].map((day) => ({ day, from: '08:00', to: '16:00' })) }, origin);
const colours = ['RED', 'BLUE', 'RED', 'BLUE', 'RED', 'BLUE', 'RED', 'BLUE'];
const matrix = { PRESS: { RED: { BLUE: 45 }, BLUE: { RED: 45 } } };

/** Eight one-operation work orders on one press, colours alternating in the input. */
const press = (extra: Partial<ShopProblem> = {}): ShopProblem => ({
  calendars: { PRESS: dayShift },
  setupMatrix: matrix,
  workOrders: colours.map((c, k) => ({ id: `W${k}`, operations: [{ id: `W${k}-1`, workCenter: 'PRESS', durationMinutes: 60, setupFamily: c }] })),
  ...extra,
});

const setupTotal = (ops: { setupMinutes?: number }[]) => ops.reduce((s, o) => s + (o.setupMinutes ?? 0), 0);

describe('sequence-dependent setups', () => {
  it('plans the changeovers and groups the colours: one change instead of seven', () => {
    const plan = scheduleShop(press(), { objective: 'makespan', timeLimitMs: 1500, seed: 1 });
    expect(checkShopPlan(press(), plan.operations)).toEqual([]);
    const order = [...plan.operations].sort((a, b) => a.start - b.start);
    const changes = order.filter((o, k) => k > 0 && colours[Number(o.workOrderId.slice(1))] !== colours[Number(order[k - 1].workOrderId.slice(1))]).length;
    expect(changes).toBe(1);
    expect(setupTotal(plan.operations)).toBe(45);
    // 8 × 60 working minutes plus one changeover, on a 08:00–16:00 shift from Monday 08:00
    expect(plan.makespan).toBe(1440 + 480 + (8 * 60 + 45 - 480));
  });

  it('without a matrix the same work needs no changeover', () => {
    const plan = scheduleShop(press({ setupMatrix: undefined }), { objective: 'makespan', timeLimitMs: 300, seed: 1 });
    expect(setupTotal(plan.operations)).toBe(0);
    expect(plan.makespan).toBe(480 + 8 * 60); // Monday 16:00, the shift full
  });

  it('the first operation after a frozen one of another colour changes over from it', () => {
    const problem = press({
      workOrders: [
        { id: 'RUN', operations: [{ id: 'RUN-1', workCenter: 'PRESS', durationMinutes: 60, setupFamily: 'RED', frozen: { start: 480, end: 540 } }] },
        { id: 'NEXT', operations: [{ id: 'NEXT-1', workCenter: 'PRESS', durationMinutes: 60, setupFamily: 'BLUE' }] },
      ],
      horizonStart: 480,
    });
    const plan = scheduleShop(problem, { objective: 'makespan', timeLimitMs: 200 });
    expect(plan.operations.find((o) => o.id === 'NEXT-1')).toMatchObject({ start: 540, end: 540 + 45 + 60, setupMinutes: 45 });
    expect(checkShopPlan(problem, plan.operations)).toEqual([]);
  });

  it('the checker refuses a plan that leaves no time for a changeover', () => {
    // the input order back to back, as if changeovers took no time
    const naive = colours.map((_, k) => ({ id: `W${k}-1`, start: 480 + 60 * k, end: 480 + 60 * (k + 1) }));
    const violations = checkShopPlan(press(), naive);
    expect(violations).toContain('operation W1-1 has 60 working minutes on PRESS, needs 105');
    expect(violations).toHaveLength(7);
    expect(checkShopPlan(press({ setupMatrix: undefined }), naive)).toEqual([]);
  });

  it('refuses a matrix of an unknown work centre or with negative minutes, naming it', () => {
    expect(() => scheduleShop(press({ setupMatrix: { OVEN: { RED: { BLUE: 5 } } } }))).toThrow(new ShopProblemError('setup matrix of unknown work centre OVEN'));
    expect(() => scheduleShop(press({ setupMatrix: { PRESS: { RED: { BLUE: -5 } } } }))).toThrow(/PRESS: setup from RED to BLUE must be a non-negative/);
  });
});
