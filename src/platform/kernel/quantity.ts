/**
 * Quantities and money. Storage is PostgreSQL `numeric` (exact); sums are done in SQL where possible.
 * In TypeScript values are numbers rounded to a fixed scale after every operation, so that
 * 0.1 + 0.2 is 0.3 and repeated bookings never drift. Six decimals cover every unit we use
 * (kg to the milligram, money to a hundredth of a cent).
 */
export const SCALE = 6;
const factor = 10 ** SCALE;

/** Round to the quantity scale (half away from zero). */
export function q(n: number): number {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite quantity: ${n}`);
  const r = Math.round(Math.abs(n) * factor + 1e-7) / factor;
  return n < 0 ? -r : r;
}

/** Parse a numeric column (drivers return `numeric` as a string). */
export function num(v: string | number | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return q(typeof v === 'number' ? v : Number(v));
}

export const add = (...xs: number[]) => q(xs.reduce((a, b) => a + Math.round(b * factor), 0) / factor);
export const sub = (a: number, b: number) => q((Math.round(a * factor) - Math.round(b * factor)) / factor);
export const mul = (a: number, b: number) => q(a * b);
/** Money rounded to cents, for answers that a person reads. */
export const money = (n: number) => Math.round(n * 100 + (n >= 0 ? 1e-9 : -1e-9)) / 100;
