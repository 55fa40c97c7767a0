import { z } from 'zod';
import { ITEM_KINDS } from '../items/model.ts';

const text = z.string().trim().min(1);
const optNum = z.coerce.number().finite().optional();
const bool = z.preprocess((v) => (typeof v === 'string' ? ['true', '1', 'yes', 'y'].includes(v.toLowerCase()) : v), z.boolean()).optional();
const str = z.preprocess((v) => (v === undefined ? v : String(v)), text);

/** The row of each importable entity (header row = these field names) and its export columns. */
export const ENTITIES = {
  items: {
    row: z.object({
      code: str,
      name: str,
      kind: z.enum(ITEM_KINDS),
      uom: str,
      standardCost: optNum.pipe(z.number().min(0).optional()),
      leadTimeDays: optNum.pipe(z.number().int().min(0).optional()),
      reorderPoint: optNum.pipe(z.number().min(0).optional()),
      reorderQty: optNum.pipe(z.number().positive().optional()),
      lotControlled: bool,
      inspectOnReceipt: bool,
    }),
    key: 'code',
  },
  boms: {
    row: z.object({ parent: str, component: str, qty: z.coerce.number().finite().positive(), scrapFactor: optNum.pipe(z.number().min(0).max(10).optional()) }),
    key: null,
  },
  customers: { row: z.object({ code: str, name: str }), key: 'code' },
  suppliers: { row: z.object({ code: str, name: str }), key: 'code' },
  stock: {
    row: z.object({
      itemCode: str, qty: z.coerce.number().finite().positive(), lot: str, supplier: str.optional(), unitCost: optNum.pipe(z.number().min(0).optional()),
      warehouse: str.optional(), uom: str.optional(),
    }),
    key: null,
  },
} as const;

export type Entity = keyof typeof ENTITIES;
/** A valid row of an entity, as its schema parses it. */
export type EntityRow<E extends Entity> = z.infer<(typeof ENTITIES)[E]['row']>;
export const ENTITY_NAMES = Object.keys(ENTITIES) as Entity[];

export const columnsOf = (e: Entity) => Object.keys(ENTITIES[e].row.shape);
export const requiredOf = (e: Entity) =>
  Object.entries(ENTITIES[e].row.shape)
    .filter(([, s]) => !(s as z.ZodType).safeParse(undefined).success)
    .map(([k]) => k);
