import { z } from 'zod';

export const ITEM_KINDS = ['raw', 'semi', 'finished'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

const code = z.string().trim().min(1).max(64);
const nonNegative = z.number().finite().min(0);

/** The fields of a new item (the contract's, plus lot control and MRP lot sizing). */
export const NewItem = z.strictObject({
  code,
  name: z.string().trim().min(1).max(200),
  kind: z.enum(ITEM_KINDS),
  uom: z.string().trim().min(1).max(16),
  standardCost: nonNegative.optional(),
  leadTimeDays: z.number().int().min(0).optional(),
  reorderPoint: nonNegative.nullable().optional(),
  reorderQty: z.number().finite().positive().nullable().optional(),
  lotControlled: z.boolean().optional(),
  lotSizeRule: z.enum(['lot-for-lot', 'fixed', 'minimum']).optional(),
  lotSize: z.number().finite().positive().nullable().optional(),
  safetyStock: nonNegative.optional(),
  /** Receipts arrive on hold until an inspection of the lot (in the MES) releases or rejects it. */
  inspectOnReceipt: z.boolean().optional(),
});
export type NewItem = z.infer<typeof NewItem>;

export const ItemChange = NewItem.omit({ code: true }).partial();
export type ItemChange = z.infer<typeof ItemChange>;

export interface Item {
  code: string;
  name: string;
  kind: ItemKind;
  uom: string;
  standardCost: number;
  leadTimeDays: number;
  reorderPoint: number | null;
  reorderQty: number | null;
  lotControlled: boolean;
  lotSizeRule: 'lot-for-lot' | 'fixed' | 'minimum';
  lotSize: number | null;
  safetyStock: number;
  inspectOnReceipt: boolean;
  lowLevelCode: number;
  averageCost: number;
}

/** What the MES keeps of an item. */
export const materialDefinition = (i: Item) => ({
  code: i.code,
  name: i.name,
  kind: i.kind,
  uom: i.uom,
  standardCost: i.standardCost,
  leadTimeDays: i.leadTimeDays,
});
