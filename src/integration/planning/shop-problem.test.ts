import { describe, expect, it } from 'vitest';
import { checkShopPlan, scheduleShop } from '../../planning/index.ts';
import { buildShopProblem, instantAt, type PlanningInputs } from './shop-problem.ts';

const origin = Date.parse('2026-12-07T00:00:00Z'); // a Monday
const at = (minutes: number) => instantAt(origin, minutes);
const allWeek = { utcOffsetMinutes: 0, shifts: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, from: '00:00', to: '24:00' })), exceptions: [] };

type Op = PlanningInputs['workOrders'][number]['operations'][number];
const op = (id: string, workCenter: string, start: number | null, minutes: number, status: Op['status'] = 'pending'): Op => ({
  id,
  seq: Number(id.split('-')[1]),
  workCenter,
  alternatives: [],
  setupFamily: null,
  status,
  frozen: status !== 'pending',
  durationMinutes: minutes,
  remainingMinutes: minutes,
  plannedStart: start === null ? null : at(start),
  plannedEnd: start === null ? null : at(start + minutes),
  startedAt: status === 'running' ? at(-10) : null,
});
const wo = (id: string, salesOrder: string | null, operations: Op[]): PlanningInputs['workOrders'][number] => ({
  id,
  itemCode: 'X',
  qty: 1,
  status: 'released',
  salesOrder,
  lineNo: 1,
  parentWorkOrder: null,
  dueDate: '2026-12-09',
  priority: 0,
  plannedStart: null,
  plannedEnd: null,
  operations,
});

/**
 * A committed plan on three centres: W1 (A 0–60, B 60–120), W2 (A 60–120, C 120–180), W3 (C 180–240);
 * child work order K (on W3 at 0–30) feeds P (W3 at 240–300); D has never been planned.
 */
function shop(): PlanningInputs {
  return {
    workOrders: [
      wo('A', 'SO1', [op('A-10', 'W1', 0, 60), op('A-20', 'W2', 60, 60)]),
      wo('B', 'SO2', [op('B-10', 'W1', 60, 60)]),
      wo('C', 'SO3', [op('C-10', 'W2', 120, 60), op('C-20', 'W3', 180, 60)]),
      wo('K', 'SO4', [op('K-10', 'W3', 0, 30)]),
      wo('P', 'SO4', [op('P-10', 'W3', 240, 60)]),
      wo('D', 'SO5', [op('D-10', 'W2', null, 30)]),
    ],
    precedence: [{ before: 'K', after: 'P' }],
    workCenters: ['W1', 'W2', 'W3'].map((code) => ({ code, plant: 'P1', capacity: 1, calendar: allWeek, setupMatrix: [] })),
  };
}

const movable = (problem: ReturnType<typeof buildShopProblem>['problem']) =>
  problem.workOrders
    .flatMap((w) => w.operations)
    .filter((o) => !o.frozen)
    .map((o) => o.id)
    .sort();

describe('incremental replanning: what may move', () => {
  it('a full reschedule moves everything pending; an incremental one only what the events touch and the never-planned', () => {
    expect(movable(buildShopProblem(shop(), origin, { frozenHours: 0 }).problem)).toEqual(['A-10', 'A-20', 'B-10', 'C-10', 'C-20', 'D-10', 'K-10', 'P-10']);
    const none = { operations: [], salesOrders: [], workOrders: [] };
    expect(movable(buildShopProblem(shop(), origin, { frozenHours: 0, scope: none }).problem)).toEqual(['D-10']);
  });

  it('a breakdown moves the work planned on the centre while it is down and what follows it, within the work order and up to the parent', () => {
    // W1 down 0–50: A-10 overlaps (B-10 does not); A-20 follows A-10
    const { problem } = buildShopProblem(shop(), origin, { frozenHours: 0, scope: { operations: [], salesOrders: [], workOrders: [] }, downtime: { W1: [{ start: 0, end: 50 }] } });
    expect(movable(problem)).toEqual(['A-10', 'A-20', 'D-10']);
    // C is left out: its operations are blocked time where they are planned
    expect(problem.downtime?.W2).toContainEqual({ start: 120, end: 180 });
    // W3 down over K-10: its parent P follows
    const child = buildShopProblem(shop(), origin, { frozenHours: 0, scope: { operations: [], salesOrders: [], workOrders: [] }, downtime: { W3: [{ start: 10, end: 20 }] } }).problem;
    expect(movable(child)).toEqual(['D-10', 'K-10', 'P-10']);
  });

  it('a settled child is left out and its parent starts after it as planned', () => {
    const { problem } = buildShopProblem(shop(), origin, { frozenHours: 0, scope: { operations: [], salesOrders: [], workOrders: ['P'] } });
    expect(problem.workOrders.find((w) => w.id === 'K')).toBeUndefined();
    expect(problem.workOrders.find((w) => w.id === 'P')).toMatchObject({ releaseMinutes: 30 });
  });

  it('a centre back up, an order, a short work order: their work moves, with what follows', () => {
    const scope = (s: Partial<{ operations: string[]; salesOrders: string[]; workOrders: string[] }>) => ({ operations: [], salesOrders: [], workOrders: [], ...s });
    // back up: what the breakdown pushed back (here A-20 and C-10) may come earlier, with what follows
    expect(movable(buildShopProblem(shop(), origin, { frozenHours: 0, scope: scope({ operations: ['A-20', 'C-10'] }) }).problem)).toEqual(['A-20', 'C-10', 'C-20', 'D-10']);
    expect(movable(buildShopProblem(shop(), origin, { frozenHours: 0, scope: scope({ salesOrders: ['SO4'] }) }).problem)).toEqual(['D-10', 'K-10', 'P-10']);
    expect(movable(buildShopProblem(shop(), origin, { frozenHours: 0, scope: scope({ workOrders: ['K'] }) }).problem)).toEqual(['D-10', 'K-10', 'P-10']);
  });

  it('work planned before now, or over a running operation that takes longer than planned, moves; the frozen zone stays', () => {
    const late = shop();
    late.workOrders[1].operations = [op('B-10', 'W1', -30, 60)];
    expect(movable(buildShopProblem(late, origin, { frozenHours: 0, scope: { operations: [], salesOrders: [], workOrders: [] } }).problem)).toEqual(['B-10', 'D-10']);
    // A-10 runs with 100 minutes left (planned to end at 60): B-10 on its centre and A-20 after it move
    const slow = shop();
    slow.workOrders[0].operations[0] = { ...op('A-10', 'W1', 0, 60, 'running'), remainingMinutes: 100 };
    expect(movable(buildShopProblem(slow, origin, { frozenHours: 0, scope: { operations: [], salesOrders: [], workOrders: [] } }).problem)).toEqual(['A-20', 'B-10', 'D-10']);
    // with a 2-hour frozen zone: A-20 (planned at 60) stays, C-10 (at 120) and what follows move
    const zone = buildShopProblem(shop(), origin, { frozenHours: 2, scope: { operations: ['A-20', 'C-10'], salesOrders: [], workOrders: [] } }).problem;
    expect(movable(zone)).toEqual(['C-10', 'C-20', 'D-10']);
  });

  it('the solver plans around the committed dates of what stays, and the feasibility checker accepts its plan', () => {
    const { problem } = buildShopProblem(shop(), origin, { frozenHours: 0, scope: { operations: [], salesOrders: [], workOrders: [] }, downtime: { W1: [{ start: 0, end: 50 }] } });
    // the work orders it does not touch are left out: their operations are blocked time on their centres
    expect(problem.workOrders.map((w) => w.id).sort()).toEqual(['A', 'D']);
    expect(problem.downtime).toEqual({ W1: [{ start: 0, end: 50 }, { start: 60, end: 120 }], W2: [{ start: 120, end: 180 }], W3: [{ start: 180, end: 240 }, { start: 0, end: 30 }, { start: 240, end: 300 }] });
    const plan = scheduleShop(problem, { objective: 'tardiness', timeLimitMs: 200 });
    expect(checkShopPlan(problem, plan.operations)).toEqual([]);
    const byId = new Map(plan.operations.map((o) => [o.id, o]));
    expect(byId.get('A-10')!.start).toBeGreaterThanOrEqual(120); // after the breakdown, in the gap after B-10 (60–120)
    // D-10 (30 min, never planned) fits the W2 gap before A-20 moved there, or after it
    expect(byId.get('A-20')!.start).toBeGreaterThanOrEqual(byId.get('A-10')!.end);
  });
});
