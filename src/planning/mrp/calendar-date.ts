/**
 * Pure calendar-date arithmetic for 'YYYY-MM-DD' (proleptic Gregorian, no time zone, no clock).
 * A day number is the count of days since 1970-01-01 (negative before).
 * Algorithms after Howard Hinnant, "chrono-compatible low-level date algorithms".
 */
import { MrpInputError } from './errors.ts';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dayNumberFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function civilFromDayNumber(dayNumber: number): [year: number, month: number, day: number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** 'YYYY-MM-DD' → day number; throws MrpInputError on anything else (including 2026-02-30). */
export function parseDate(date: string, what = 'date'): number {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null;
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
      const n = dayNumberFromCivil(year, month, day);
      const [y2, m2, d2] = civilFromDayNumber(n);
      if (y2 === year && m2 === month && d2 === day) return n;
    }
  }
  throw new MrpInputError(`${what}: '${String(date)}' is not a calendar date YYYY-MM-DD`);
}

/** day number → 'YYYY-MM-DD' (years 0000–9999). */
export function formatDate(dayNumber: number): string {
  const [y, m, d] = civilFromDayNumber(dayNumber);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function addDays(date: string, days: number): string {
  return formatDate(parseDate(date) + days);
}

/** b − a in calendar days. */
export function daysBetween(a: string, b: string): number {
  return parseDate(b) - parseDate(a);
}
