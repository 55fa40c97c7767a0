import { z } from 'zod';

/** The canonical messages a mapping produces (CONTRACT: "Outside systems"). */
export const MESSAGES = ['production-request', 'order-change', 'order-cancel', 'performance'] as const;
export const MessageKind = z.enum(MESSAGES);
export type MessageKind = z.infer<typeof MessageKind>;

export const MappingName = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ (at most 64)');

export const MappingInput = z.strictObject({
  message: MessageKind,
  expression: z.string().min(1).max(20_000),
});
export type MappingInput = z.infer<typeof MappingInput>;

const ref = z.string().trim().min(1).max(100);
const code = z.string().trim().min(1).max(200);
const qty = z.number().finite().positive().max(1e12);
/** A day: `2026-12-20`, or an instant whose day (as written) is taken. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ].*)?$/, 'a date YYYY-MM-DD')
  .transform((s) => s.slice(0, 10))
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date');
/** One object or an array of them (JSONata gives an object for one match, an array for several); issues keep their own path. */
const oneOrMany = <T extends z.ZodType>(s: T) => {
  const many = z.array(s).min(1).max(1000);
  return z.unknown().transform((v, ctx): z.output<T>[] => {
    const r = Array.isArray(v) ? many.safeParse(v) : s.safeParse(v);
    if (!r.success) {
      for (const issue of r.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return (Array.isArray(r.data) ? r.data : [r.data]) as z.output<T>[];
  });
};

export const CanonicalRequest = z.strictObject({
  externalRef: ref,
  itemCode: code,
  qty,
  uom: code.optional(),
  dueDate: day,
  plant: code.optional(),
  customer: code.optional(),
  priority: z.number().int().min(0).max(1000).optional(),
});
export const CanonicalChange = z
  .strictObject({ externalRef: ref, qty: qty.optional(), uom: code.optional(), dueDate: day.optional() })
  .refine((c) => c.qty !== undefined || c.dueDate !== undefined, 'a change names qty or dueDate');
export const CanonicalCancel = z.strictObject({ externalRef: ref, reason: z.string().max(500).optional() });
export const CanonicalConsumed = z.strictObject({ itemCode: code, lot: code, qty, uom: code.optional() });
/**
 * `performance` (an outside MES or line controller reports): the work order by `externalRef` (the
 * request it was made for) or by Closeloop's id `workOrder`; the operation by routing `operationSeq`
 * or its `workCenter`; quantities in `uom` (default: the item's stock unit); `complete` ends the
 * operation (the last one completes the work order and makes its output lot).
 */
export const CanonicalReport = z
  .strictObject({
    externalRef: ref.optional(),
    workOrder: ref.optional(),
    operationSeq: z.number().int().min(0).optional(),
    workCenter: code.optional(),
    goodQty: z.number().finite().min(0).max(1e12),
    scrapQty: z.number().finite().min(0).max(1e12).optional(),
    scrapReason: z.string().max(200).optional(),
    uom: code.optional(),
    complete: z.boolean().optional(),
    operator: z.string().trim().min(1).max(100).optional(),
    laborMinutes: z.number().finite().min(0).max(1e6).optional(),
    machineMinutes: z.number().finite().min(0).max(1e6).optional(),
    consumed: z.array(CanonicalConsumed).max(200).optional(),
  })
  .refine((r) => (r.externalRef === undefined) !== (r.workOrder === undefined), 'name the work order by externalRef or by workOrder (one of them)')
  .refine((r) => r.operationSeq !== undefined || r.workCenter !== undefined, 'name the operation by operationSeq or workCenter');

export const CANONICAL = {
  'production-request': z.strictObject({ requests: z.array(CanonicalRequest).min(1).max(1000) }).transform((v) => v.requests),
  'order-change': oneOrMany(CanonicalChange),
  'order-cancel': oneOrMany(CanonicalCancel),
  performance: oneOrMany(CanonicalReport),
} as const;

export type CanonicalRequest = z.output<typeof CanonicalRequest>;
export type CanonicalChange = z.output<typeof CanonicalChange>;
export type CanonicalCancel = z.output<typeof CanonicalCancel>;
export type CanonicalReport = z.output<typeof CanonicalReport>;

export type Canonical =
  | { message: 'production-request'; items: CanonicalRequest[] }
  | { message: 'order-change'; items: CanonicalChange[] }
  | { message: 'order-cancel'; items: CanonicalCancel[] }
  | { message: 'performance'; items: CanonicalReport[] };

export interface ShapeError {
  path: string;
  message: string;
}

/** The mapping's output read as its canonical message, or every place where it is not. */
export function readCanonical(message: MessageKind, output: unknown): { canonical: Canonical } | { errors: ShapeError[] } {
  const parsed = CANONICAL[message].safeParse(output);
  if (!parsed.success) {
    return { errors: parsed.error.issues.slice(0, 50).map((i) => ({ path: i.path.length ? i.path.join('.') : '(root)', message: i.message })) };
  }
  return { canonical: { message, items: parsed.data } as Canonical };
}

export interface MappingView {
  name: string;
  message: MessageKind;
  expression: string;
  updatedAt: string;
}
