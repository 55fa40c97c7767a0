/**
 * Quantities inside the engine are integer millionths ("micro-units") held in doubles, so sums
 * are exact up to 2^53 µ (≈ 9 × 10^9 units) and 3 × 0.1 is 0.3. Products are rounded half-up to
 * the millionth, exactly (BigInt fallback when the double product lands near a tie).
 */
import { MrpInputError } from './errors.ts';

export const SCALE = 1_000_000;
const SCALE_SQUARED = 1_000_000_000_000;
const SCALE_SQUARED_BIG = 1_000_000_000_000n;

/** decimal → micro-units, rounded to the millionth; throws on NaN, ±∞, negatives, overflow. */
export function toMicro(qty: number, what: string): number {
  if (typeof qty !== 'number' || !Number.isFinite(qty) || qty < 0) {
    throw new MrpInputError(`${what}: quantity must be a finite number ≥ 0, got ${String(qty)}`);
  }
  const micro = Math.round(qty * SCALE);
  if (!Number.isSafeInteger(micro)) throw new MrpInputError(`${what}: quantity ${qty} is too large`);
  return micro;
}

export function fromMicro(micro: number): number {
  return micro / SCALE;
}

/**
 * The factor of a BOM line, in 10^-12 units: qty per parent × (1 + scrap), both in micro-units.
 * Returns an exact integer; throws if it cannot be held exactly in a double.
 */
export function bomFactor(qtyMicro: number, scrapMicro: number, what: string): number {
  const factor = qtyMicro * (SCALE + scrapMicro);
  if (!Number.isSafeInteger(factor)) throw new MrpInputError(`${what}: quantity × (1 + scrap) is too large`);
  return factor;
}

/** parentMicro × factor / 10^12, rounded half-up to the micro-unit, exactly. */
export function applyFactor(parentMicro: number, factor: number): number {
  const x = (parentMicro * factor) / SCALE_SQUARED;
  const fraction = x - Math.floor(x);
  // the double product is within x·4e-16 of the truth: trust it unless that is near a tie
  if (Math.abs(fraction - 0.5) > x * 1e-15 + 1e-9 && x < 2 ** 52) return Math.round(x);
  const product = BigInt(parentMicro) * BigInt(factor);
  const quotient = product / SCALE_SQUARED_BIG;
  const remainder = product - quotient * SCALE_SQUARED_BIG;
  const rounded = remainder * 2n >= SCALE_SQUARED_BIG ? quotient + 1n : quotient;
  const result = Number(rounded);
  if (!Number.isSafeInteger(result)) throw new MrpInputError(`dependent requirement ${result / SCALE} is too large`);
  return result;
}
