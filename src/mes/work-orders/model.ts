import { conflict, mul } from '../../platform/kernel/index.ts';

/**
 * States as data (DESIGN.md convention 6). An operation may also be `paused`: on the contract's
 * wire it shows as `running` (it is still in progress) with `paused: true`.
 */
export type WorkOrderStatus = 'released' | 'in_progress' | 'completed' | 'cancelled';
export type OperationStatus = 'pending' | 'running' | 'paused' | 'done' | 'cancelled';

export const WORK_ORDER_STATUSES: WorkOrderStatus[] = ['released', 'in_progress', 'completed', 'cancelled'];
export const OPERATION_STATUSES: OperationStatus[] = ['pending', 'running', 'paused', 'done', 'cancelled'];

export const WORK_ORDER_TRANSITIONS: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = {
  released: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export const OPERATION_TRANSITIONS: Record<OperationStatus, readonly OperationStatus[]> = {
  pending: ['running', 'cancelled'],
  running: ['paused', 'done', 'cancelled'],
  paused: ['running', 'cancelled'],
  done: [],
  cancelled: [],
};

export const canMoveWorkOrder = (from: WorkOrderStatus, to: WorkOrderStatus) => WORK_ORDER_TRANSITIONS[from].includes(to);
export const canMoveOperation = (from: OperationStatus, to: OperationStatus) => OPERATION_TRANSITIONS[from].includes(to);

export function assertWorkOrderMove(id: string, from: WorkOrderStatus, to: WorkOrderStatus) {
  if (!canMoveWorkOrder(from, to))
    throw conflict(`work order ${id} cannot go from ${from} to ${to}`, { workOrder: id, from, to, reason: 'illegal_transition' });
}

export function assertOperationMove(id: string, from: OperationStatus, to: OperationStatus) {
  if (!canMoveOperation(from, to))
    throw conflict(`operation ${id} cannot go from ${from} to ${to}`, { operation: id, from, to, reason: 'illegal_transition' });
}

/** The contract shows a paused operation as running (still in progress). */
export const wireOperationStatus = (s: OperationStatus) => (s === 'paused' ? 'running' : s);

const WHOLE_UNITS = new Set(['pcs', 'ea', 'pc', 'each', 'unit', 'units']);
export const countsWholeUnits = (uom: string) => WHOLE_UNITS.has(uom.toLowerCase());

/**
 * The one rule for a component's quantity (work-order explosion, the B2MML material list, MRP's
 * dependent demand): parents × qty per parent × (1 + scrap factor), kept to 6 decimals; a component
 * counted in whole units (pcs, ea, …) is rounded up to the next whole unit.
 */
export function componentQty(parentQty: number, perParent: number, uom: string, scrapFactor = 0): number {
  const rounded = mul(parentQty, scrapFactor ? mul(perParent, 1 + scrapFactor) : perParent);
  return countsWholeUnits(uom) ? Math.ceil(rounded - 1e-9) : rounded;
}

export interface BomComponent {
  itemCode: string;
  qty: number;
  scrapFactor: number;
}
export interface ItemFacts {
  code: string;
  kind: string;
  uom: string;
}

/** One node of an explosion: a work order to make, with its parent's index (-1 at the top). */
export interface PlannedWorkOrder {
  index: number;
  parentIndex: number;
  itemCode: string;
  qty: number;
  qtyPerParent: number | null;
  level: number;
  bomVersion: number | null;
  uom: string;
}

/**
 * Explodes an item through its BOMs into one work order per level: a `semi` component with its
 * own BOM becomes a child work order; other components are material. Pure: the BOMs and items
 * are given. `bomOf(code, level)` returns the BOM version in force (the named one at the top).
 */
export function explode(
  itemCode: string,
  qty: number,
  items: Map<string, ItemFacts>,
  bomOf: (code: string, level: number) => { version: number; components: BomComponent[] } | undefined,
): PlannedWorkOrder[] {
  const out: PlannedWorkOrder[] = [];
  const walk = (code: string, q: number, perParent: number | null, parentIndex: number, level: number, path: string[]) => {
    if (path.includes(code)) throw new Error(`BOM cycle through ${[...path, code].join(' > ')}`);
    const bom = bomOf(code, level);
    const index = out.length;
    out.push({ index, parentIndex, itemCode: code, qty: q, qtyPerParent: perParent, level, bomVersion: bom?.version ?? null, uom: items.get(code)?.uom ?? 'pcs' });
    for (const c of bom?.components ?? []) {
      const item = items.get(c.itemCode);
      if (item?.kind !== 'semi' || !bomOf(c.itemCode, level + 1)) continue;
      const per = mul(c.qty, 1 + (c.scrapFactor ?? 0));
      walk(c.itemCode, componentQty(q, per, item.uom), per, index, level + 1, [...path, code]);
    }
  };
  walk(itemCode, qty, null, -1, 0, []);
  return out;
}

/** An operation's times and the rates of its work centre, for its standard conversion cost. */
export interface StandardStep {
  setupMinutes: number;
  minutesPerUnit: number;
  /** Per hour, of the work centre the operation runs at. */
  laborRate: number;
  machineRate: number;
}

/**
 * The one rule for a work order's standard conversion cost (ADR 0009 for the rounding): each
 * operation takes setup + minutes per unit × quantity, costed at its centre's labour and machine
 * rates per hour. Unrounded: callers round what they show or book.
 */
export function standardConversion(steps: readonly StandardStep[], qty: number): { labor: number; machine: number; minutes: number } {
  let labor = 0;
  let machine = 0;
  let minutes = 0;
  for (const s of steps) {
    const m = s.setupMinutes + s.minutesPerUnit * qty;
    minutes += m;
    labor += (m * s.laborRate) / 60;
    machine += (m * s.machineRate) / 60;
  }
  return { labor, machine, minutes };
}
