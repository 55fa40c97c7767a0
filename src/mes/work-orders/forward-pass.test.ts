import { describe, expect, it } from 'vitest';
import { compileCalendar, scheduleShop } from '../../planning/index.ts';
import { forwardPass } from './forward-pass.ts';

/**
 * One shift-calendar rule (ADR 0011): a holiday takes the whole local day, including the part of
 * the previous evening's night shift that spills into it. The MES forward pass (work-order
 * creation and changes) and the finite scheduler must give the same dates.
 */
describe('one shift-calendar rule: a night shift running into a holiday', () => {
  // Mon–Fri 22:00–06:00, plant at UTC+8; Tuesday 2025-03-04 is a holiday
  const offset = 480;
  const calendar = {
    shifts: [1, 2, 3, 4, 5].map((day) => ({ day, from: '22:00', to: '06:00' })),
    exceptions: [{ date: '2025-03-04', kind: 'holiday' as const }],
  };
  const monday22 = new Date('2025-03-03T22:00:00+08:00');
  const minutes = 300; // 5 h: Mon 22:00–24:00, Tuesday off, Wed 00:00–03:00

  it('the MES forward pass and the scheduler end the operation at Wednesday 03:00 local', () => {
    const mes = forwardPass(
      [{ id: 'wo', qty: 1, level: 0, parentWorkOrder: null, dueDate: null, priority: 0,
        operations: [{ id: 'op', workCenter: 'night', setupMinutes: 60, minutesPerUnit: minutes - 60, status: 'pending', doneQty: 0, startedAt: null }] }],
      [{ code: 'night', capacity: 1, calendar, busyUntil: null }],
      { now: monday22, utcOffsetMinutes: offset },
    );
    const origin = monday22.getTime();
    const shop = scheduleShop(
      {
        workOrders: [{ id: 'wo', operations: [{ id: 'op', workCenter: 'night', durationMinutes: minutes }] }],
        calendars: { night: compileCalendar({ utcOffsetMinutes: offset, ...calendar }, origin) },
      },
      { maxIterations: 10 },
    );
    const at = (m: number) => new Date(origin + m * 60_000).toISOString();
    const wednesday03 = new Date('2025-03-05T03:00:00+08:00').toISOString();
    expect(at(shop.operations[0].start)).toBe(monday22.toISOString());
    expect(at(shop.operations[0].end)).toBe(wednesday03);
    expect(mes.operations[0].start.toISOString()).toBe(monday22.toISOString());
    expect(mes.operations[0].end.toISOString()).toBe(wednesday03);
    expect(mes.workOrders.get('wo')!.end.toISOString()).toBe(wednesday03);
  });

  it('a running operation resumes after the holiday in both', () => {
    const now = new Date('2025-03-03T23:00:00+08:00');
    const mes = forwardPass(
      [{ id: 'wo', qty: 10, level: 0, parentWorkOrder: null, dueDate: null, priority: 0,
        operations: [{ id: 'op', workCenter: 'night', setupMinutes: 0, minutesPerUnit: 30, status: 'running', doneQty: 6, startedAt: monday22 }] }],
      [{ code: 'night', capacity: 1, calendar, busyUntil: null }],
      { now, utcOffsetMinutes: offset },
    );
    // 4 pieces × 30 min = 120 min: 23:00–24:00 Monday, then 00:00–01:00 Wednesday
    expect(mes.operations[0].end.toISOString()).toBe(new Date('2025-03-05T01:00:00+08:00').toISOString());
  });
});

describe('the forward pass plans changeovers', () => {
  const allDay = { shifts: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, from: '00:00', to: '24:00' })), exceptions: [] };
  const now = new Date('2026-12-07T08:00:00Z');
  const op = (id: string, setupFamily: string | null) => ({ id, workCenter: 'PAINT', setupMinutes: 0, minutesPerUnit: 10, status: 'pending', doneQty: 0, startedAt: null, setupFamily });
  const wo = (id: string, family: string | null, dueDate: string) => ({ id, qty: 1, level: 0, parentWorkOrder: null, dueDate, priority: 0, operations: [op(`${id}-10`, family)] });
  const matrix = [
    { from: 'RED', to: 'BLUE', minutes: 30 },
    { from: 'BLUE', to: 'RED', minutes: 45 },
  ];
  const minutesOf = (r: ReturnType<typeof forwardPass>) => r.operations.map((o) => (o.end.getTime() - o.start.getTime()) / 60_000);

  it('from the family last on the centre, then from one operation to the next; none without a matrix', () => {
    const wos = [wo('A', 'BLUE', '2026-12-08'), wo('B', 'BLUE', '2026-12-09'), wo('C', 'RED', '2026-12-10'), wo('D', null, '2026-12-11')];
    const planned = forwardPass(wos, [{ code: 'PAINT', capacity: 1, calendar: allDay, busyUntil: null, setupMatrix: matrix, lastFamily: 'RED' }], { now, utcOffsetMinutes: 0 });
    // RED (last on the centre) → BLUE 30 + 10; BLUE → BLUE 10; BLUE → RED 45 + 10; no family 10
    expect(minutesOf(planned)).toEqual([40, 10, 55, 10]);
    expect(planned.operations[1].start.getTime()).toBe(planned.operations[0].end.getTime());
    const plain = forwardPass(wos, [{ code: 'PAINT', capacity: 1, calendar: allDay, busyUntil: null }], { now, utcOffsetMinutes: 0 });
    expect(minutesOf(plain)).toEqual([10, 10, 10, 10]);
  });
});
