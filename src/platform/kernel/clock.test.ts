import { describe, expect, it } from 'vitest';
import { nextDailyAt } from './clock.ts';

describe('nextDailyAt (the daily reschedule)', () => {
  it('comes at the plant time given, today if it is still ahead, else tomorrow', () => {
    // UTC+8: 01:59 local on the 8th is 17:59Z on the 7th; 02:00 local is 18:00Z
    expect(nextDailyAt(new Date('2026-12-07T17:59:00Z'), '02:00', 480).toISOString()).toBe('2026-12-07T18:00:00.000Z');
    // exactly at the time: the next day's
    expect(nextDailyAt(new Date('2026-12-07T18:00:00Z'), '02:00', 480).toISOString()).toBe('2026-12-08T18:00:00.000Z');
    // UTC−5: 01:00 local is 06:00Z, 02:00 local is 07:00Z
    expect(nextDailyAt(new Date('2026-12-07T06:00:00Z'), '02:00', -300).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(nextDailyAt(new Date('2026-12-07T23:30:00Z'), '23:45', 0).toISOString()).toBe('2026-12-07T23:45:00.000Z');
    expect(nextDailyAt(new Date('2026-12-07T23:50:00Z'), '00:00', 0).toISOString()).toBe('2026-12-08T00:00:00.000Z');
  });
});
