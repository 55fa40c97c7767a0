import { z } from 'zod';
import { q } from '../../platform/kernel/index.ts';

export const ORDER_STATUSES = ['draft', 'released', 'in_production', 'completed', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The sales order's state machine, as data: every legal move and the action that makes it. */
export const ORDER_TRANSITIONS: readonly { from: OrderStatus; to: OrderStatus; action: string }[] = [
  { from: 'draft', to: 'released', action: 'approve' },
  { from: 'draft', to: 'cancelled', action: 'cancel' },
  { from: 'released', to: 'in_production', action: 'start' },
  { from: 'released', to: 'cancelled', action: 'cancel' },
  { from: 'in_production', to: 'completed', action: 'complete' },
  { from: 'in_production', to: 'cancelled', action: 'cancel' },
  { from: 'completed', to: 'shipped', action: 'ship' },
];

export const canMove = (from: OrderStatus, to: OrderStatus) => ORDER_TRANSITIONS.some((t) => t.from === from && t.to === to);

/** Orders whose lines may still be changed through a change request to the MES. */
export const CHANGE_VIA_MES: readonly OrderStatus[] = ['released', 'in_production'];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day YYYY-MM-DD');

export const NewSalesOrder = z.strictObject({
  customer: z.string().trim().min(1),
  lines: z
    .array(z.strictObject({ itemCode: z.string().trim().min(1).max(64), qty: z.number().finite().positive().max(1e12), dueDate: day, uom: z.string().trim().min(1).max(16).optional() }))
    .min(1)
    .max(500),
});
export type NewSalesOrder = z.infer<typeof NewSalesOrder>;

export const LineChange = z
  .strictObject({ qty: z.number().finite().positive().optional(), dueDate: day.optional() })
  .refine((c) => c.qty !== undefined || c.dueDate !== undefined, 'qty or dueDate is needed');
export type LineChange = z.infer<typeof LineChange>;

/** Progress of a line: good quantity of its top work order over the ordered quantity, at most 1. */
export const progressOf = (produced: number, qty: number) => (qty > 0 ? Math.min(1, Math.round((produced / qty) * 10000) / 10000) : 0);

/** A work order of a line as progress counts it. */
export interface WorkDone {
  standardMinutes: number | null;
  qty: number;
  goodQty: number;
  status: string;
}

/**
 * Progress of a line by standard hours, at every BOM level: the standard minutes earned by each
 * work order's good quantity (its standard minutes × good / qty, all of them once it is completed)
 * over the standard minutes of all the line's work orders; cancelled ones count for nothing.
 * Without standard minutes (no routing, or an MES that does not send them) it is the finished
 * quantity over the ordered one.
 */
export function progressByStandard(wos: WorkDone[], produced: number, qty: number): number {
  const counted = wos.filter((w) => w.status !== 'cancelled' && w.standardMinutes !== null && w.standardMinutes > 0);
  const total = counted.reduce((s, w) => s + w.standardMinutes!, 0);
  if (!(total > 0)) return progressOf(produced, qty);
  const earned = counted.reduce((s, w) => s + w.standardMinutes! * (w.status === 'completed' ? 1 : w.qty > 0 ? Math.min(1, w.goodQty / w.qty) : 0), 0);
  return Math.min(1, Math.round((earned / total) * 10000) / 10000);
}

/**
 * The rule a change is judged by before it is sent: a quantity below what is already produced
 * (good quantity of the line's top work order) cannot be met.
 */
export function judgeChange(newQty: number | undefined, producedGood: number): { feasible: boolean; reason?: string } {
  if (newQty !== undefined && newQty < producedGood)
    return { feasible: false, reason: `quantity ${newQty} is below what is already produced (${producedGood})` };
  return { feasible: true };
}

/** New quantity of each work order of a line when the line's quantity changes (pro rata). */
export const scaledQty = (woQty: number, lineQty: number, newLineQty: number | undefined) =>
  newLineQty === undefined || lineQty <= 0 ? woQty : q((woQty * newLineQty) / lineQty);
