import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, compileCalendar, type CalendarSpec } from './calendar.ts';

// Monday 2025-03-03 00:00 plant time (UTC+8) = 2025-03-02T16:00Z
const ORIGIN = '2025-03-02T16:00:00Z';
const H = 60;
const DAY = 24 * H;
const weekdays = [1, 2, 3, 4, 5];
const twoShifts: CalendarSpec = {
  utcOffsetMinutes: 480,
  shifts: weekdays.flatMap((day) => [
    { day, from: '08:00', to: '12:00' },
    { day, from: '13:00', to: '17:00' },
  ]),
  exceptions: [{ date: '2025-03-05', kind: 'holiday' }],
};

describe('work-centre calendar', () => {
  const cal = compileCalendar(twoShifts, ORIGIN);

  it('finds the next working instant', () => {
    expect(cal.nextWorkingTime(0)).toBe(8 * H); // Monday 08:00
    expect(cal.nextWorkingTime(9 * H)).toBe(9 * H);
    expect(cal.nextWorkingTime(12 * H)).toBe(13 * H); // lunch break
    expect(cal.nextWorkingTime(17 * H)).toBe(DAY + 8 * H); // evening → Tuesday
    expect(cal.isWorking(12 * H)).toBe(false);
    expect(cal.isWorking(11 * H + 59)).toBe(true);
  });

  it('lets an operation continue across a break, consuming working minutes only', () => {
    expect(cal.finishTime(11 * H, 2 * H)).toBe(14 * H); // 1 h before lunch, 1 h after
    expect(cal.finishTime(8 * H, 8 * H)).toBe(17 * H); // ends exactly at the end of the shift
    expect(cal.finishTime(16 * H, 2 * H)).toBe(DAY + 9 * H); // 1 h Monday, 1 h Tuesday morning
    expect(cal.workingMinutesBetween(11 * H, 14 * H)).toBe(2 * H);
  });

  it('skips the holiday (Wednesday) and the weekend', () => {
    // Tuesday 16:00 + 2 h → Wednesday is a holiday → Thursday 09:00
    expect(cal.finishTime(DAY + 16 * H, 2 * H)).toBe(3 * DAY + 9 * H);
    expect(cal.nextWorkingTime(2 * DAY)).toBe(3 * DAY + 8 * H);
    // Friday 17:00 → Monday 08:00
    expect(cal.nextWorkingTime(4 * DAY + 17 * H)).toBe(7 * DAY + 8 * H);
    expect(cal.isWorking(5 * DAY + 10 * H)).toBe(false); // Saturday
    expect(cal.workingMinutesBetween(0, 7 * DAY)).toBe(4 * 8 * H);
  });

  it('inverts finishTime with latestStart', () => {
    for (const [start, minutes] of [
      [9 * H, 30],
      [11 * H, 2 * H],
      [DAY + 16 * H, 2 * H],
      [4 * DAY + 15 * H, 5 * H],
    ]) {
      const end = cal.finishTime(start, minutes);
      expect(cal.latestStart(end, minutes)).toBe(start);
    }
  });

  it('handles night shifts across midnight and extra shifts', () => {
    const nights = compileCalendar(
      {
        utcOffsetMinutes: 0,
        shifts: [{ day: 1, from: '22:00', to: '06:00' }],
        exceptions: [{ date: '2025-03-08', kind: 'extra', from: '10:00', to: '12:00' }],
      },
      '2025-03-03T00:00:00Z',
    );
    expect(nights.nextWorkingTime(0)).toBe(22 * H);
    expect(nights.finishTime(22 * H, 4 * H)).toBe(DAY + 2 * H); // Tuesday 02:00
    expect(nights.nextWorkingTime(DAY + 6 * H)).toBe(5 * DAY + 10 * H); // Saturday's extra shift
  });

  it('uses the plant offset: 08:00 in UTC+8 is 00:00 UTC', () => {
    const utcOrigin = compileCalendar(twoShifts, '2025-03-03T00:00:00Z');
    expect(utcOrigin.nextWorkingTime(0)).toBe(0);
  });

  it('has a 24/7 fast path; no shifts is around the clock but for the holidays', () => {
    expect(compileCalendar(undefined, 0)).toBe(ALWAYS_OPEN);
    expect(compileCalendar({ utcOffsetMinutes: 0, shifts: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, from: '00:00', to: '24:00' })) }, 0)).toBe(ALWAYS_OPEN);
    expect(ALWAYS_OPEN.finishTime(10, 5)).toBe(15);
    const holidayOnly = compileCalendar({ utcOffsetMinutes: 0, exceptions: [{ date: '1970-01-01', kind: 'holiday' }] }, 0);
    expect(holidayOnly.alwaysOpen).toBe(false);
    expect(holidayOnly.nextWorkingTime(0)).toBe(DAY);
    expect(holidayOnly.finishTime(DAY - 10, 30)).toBe(DAY + 30);
    expect(() => compileCalendar({ utcOffsetMinutes: 0, shifts: [{ day: 8, from: '08:00', to: '09:00' }] }, 0)).toThrow(/1..7/);
  });
});
