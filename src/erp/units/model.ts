import { z } from 'zod';
import { mul } from '../../platform/kernel/index.ts';

/**
 * Units counted in whole numbers: a quantity in one of them, or converted into a stock unit that
 * is one of them, must be whole (a receipt of 0.5 pcs, or of 0.25 boxes of 50 pcs when 12.5 pcs
 * would result, is refused). Compared case-insensitively.
 */
export const INTEGER_UNITS: readonly string[] = ['pcs', 'pc', 'piece', 'pieces', 'ea', 'each', 'unit', 'units', 'box', 'boxes', 'set', 'sets', 'pair', 'pairs', 'pack', 'carton', 'pallet'];

export const isIntegerUnit = (uom: string) => INTEGER_UNITS.includes(uom.toLowerCase());

export const NewUom = z.strictObject({
  uom: z.string().trim().min(1).max(16),
  factor: z.number().finite().positive().max(1e9),
});
export type NewUom = z.infer<typeof NewUom>;

/** An item's units: its stock unit (factor 1) and the others with their factor to it. */
export interface ItemUnits {
  itemCode: string;
  stockUom: string;
  factors: Map<string, number>;
}

export type Conversion = { ok: true; qty: number } | { ok: false; reason: 'unknown-unit' | 'fraction'; uom: string };

/**
 * A quantity in one of the item's units as stock units: qty × factor, kept to 6 decimals. A
 * fraction of an integer-only unit (given or stock) is refused.
 */
export function toStock(units: ItemUnits, qty: number, uom?: string | null): Conversion {
  const unit = uom ?? units.stockUom;
  const factor = unit === units.stockUom ? 1 : units.factors.get(unit);
  if (factor === undefined) return { ok: false, reason: 'unknown-unit', uom: unit };
  if (isIntegerUnit(unit) && !Number.isInteger(qty)) return { ok: false, reason: 'fraction', uom: unit };
  const stock = mul(qty, factor);
  if (isIntegerUnit(units.stockUom) && !Number.isInteger(stock)) return { ok: false, reason: 'fraction', uom: units.stockUom };
  return { ok: true, qty: stock };
}
