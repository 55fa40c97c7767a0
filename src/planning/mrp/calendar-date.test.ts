import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, formatDate, parseDate } from './calendar-date.ts';
import { MrpInputError } from './errors.ts';

describe('calendar dates', () => {
  it('counts days from 1970-01-01', () => {
    expect(parseDate('1970-01-01')).toBe(0);
    expect(parseDate('2000-03-01')).toBe(11017);
    expect(parseDate('1969-12-31')).toBe(-1);
    expect(formatDate(0)).toBe('1970-01-01');
  });

  it('crosses month ends and leap days', () => {
    expect(addDays('2026-03-09', -10)).toBe('2026-02-27');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2100-03-01', -1)).toBe('2100-02-28');
    expect(addDays('2000-03-01', -1)).toBe('2000-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });

  it('round-trips every day of four centuries', () => {
    const from = parseDate('1900-01-01');
    const to = parseDate('2300-12-31');
    const wrong: number[] = [];
    for (let day = from; day <= to; day++) if (parseDate(formatDate(day)) !== day) wrong.push(day);
    expect(wrong).toEqual([]);
  });

  it('refuses what is not a calendar date', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-04-31', '2026-1-5', '2026-01-05T00:00:00Z', '']) {
      expect(() => parseDate(bad)).toThrow(MrpInputError);
    }
  });
});
