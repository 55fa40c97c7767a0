import { describe, expect, it } from 'vitest';
import { forwardPass } from '../mes/work-orders/forward-pass.ts';
import { compileCalendar } from './calendar.ts';

/**
 * One shift-calendar rule for the MES (work orders planned as they are made) and the finite
 * scheduler: a holiday is a whole local day off, including the hours of a night shift that spill
 * into it; the night shift of the holiday itself still works its hours after midnight (they belong
 * to the next day). A calendar without shifts is open around the clock, except on its holidays.
 */
const H = 60;
const MIN = 60_000;
// Monday 2027-03-01 00:00 plant time (UTC+8) = 2027-02-28T16:00Z
const ORIGIN = Date.parse('2027-02-28T16:00:00Z');
const night = {
  shifts: [1, 2, 3, 4, 5].map((day) => ({ day, from: '22:00', to: '06:00' })),
  exceptions: [{ date: '2027-03-02', kind: 'holiday' as const }], // Tuesday
};
const at = (minutes: number) => new Date(ORIGIN + minutes * MIN).toISOString();

describe('one shift-calendar rule for the MES forward pass and the scheduler', () => {
  it('a 6-hour operation from Monday 22:00 over a Tuesday holiday: 2 h Monday night, 4 h from Wednesday 00:00', () => {
    const cal = compileCalendar({ utcOffsetMinutes: 480, ...night }, ORIGIN);
    const start = cal.nextWorkingTime(0);
    const end = cal.finishTime(start, 6 * H);
    // Monday 22:00–24:00, Tuesday off (its night shift's hours after midnight are Wednesday's), Wednesday 00:00–04:00
    expect([at(start), at(end)]).toEqual([at(22 * H), at(2 * 24 * H + 4 * H)]);

    const pass = forwardPass(
      [{ id: 'WO-1', qty: 1, level: 0, parentWorkOrder: null, dueDate: null, priority: 0, operations: [{ id: 'OP-1', workCenter: 'NIGHT', setupMinutes: 0, minutesPerUnit: 6 * H, status: 'pending', doneQty: 0, startedAt: null }] }],
      [{ code: 'NIGHT', capacity: 1, calendar: night, busyUntil: null }],
      { now: new Date(ORIGIN), utcOffsetMinutes: 480 },
    );
    const op = pass.operations.find((o) => o.id === 'OP-1')!;
    expect([op.start.toISOString(), op.end.toISOString()]).toEqual([at(start), at(end)]);
  });

  it('a calendar with holidays and no shifts is open around the clock but on its holidays, in both', () => {
    const holidayOnly = { shifts: [], exceptions: [{ date: '2027-03-01', kind: 'holiday' as const }] }; // Monday
    const cal = compileCalendar({ utcOffsetMinutes: 480, ...holidayOnly }, ORIGIN);
    expect(cal.nextWorkingTime(0)).toBe(24 * H);
    expect(cal.finishTime(0, 2 * H)).toBe(26 * H);
    const pass = forwardPass(
      [{ id: 'WO-2', qty: 1, level: 0, parentWorkOrder: null, dueDate: null, priority: 0, operations: [{ id: 'OP-2', workCenter: 'OPEN', setupMinutes: 0, minutesPerUnit: 2 * H, status: 'pending', doneQty: 0, startedAt: null }] }],
      [{ code: 'OPEN', capacity: 1, calendar: holidayOnly, busyUntil: null }],
      { now: new Date(ORIGIN), utcOffsetMinutes: 480 },
    );
    const op = pass.operations.find((o) => o.id === 'OP-2')!;
    expect([op.start.toISOString(), op.end.toISOString()]).toEqual([at(24 * H), at(26 * H)]);
  });
});
