import { ALWAYS_OPEN } from '../../calendar.ts';
import type { ShopOperation, ShopProblem } from './types.ts';

/** A planned operation as the checker reads it (minutes from the problem's origin). */
export interface PlannedTimes {
  id: string;
  /** The work centre it runs on (defaults to the operation's own). */
  workCenter?: string;
  start: number;
  end: number;
}

/**
 * Feasibility of a plan for a shop problem, independent of the solver: every operation planned
 * once; frozen operations exactly where they were; unfrozen ones not before the horizon start or
 * their work order's release, starting in working time with exactly their working minutes on
 * their work centre's calendar; one operation at a time per work centre; routing order and
 * explicit predecessors honoured. Returns the violations (empty = feasible).
 */
export function checkShopPlan(problem: ShopProblem, plan: readonly PlannedTimes[]): string[] {
  const out: string[] = [];
  const at = new Map<string, PlannedTimes>();
  for (const p of plan) {
    if (at.has(p.id)) out.push(`operation ${p.id} is planned twice`);
    at.set(p.id, p);
  }
  const horizon = problem.horizonStart ?? 0;
  const byCentre = new Map<string, PlannedTimes[]>();
  const known = new Set<string>();
  const timed: { op: ShopOperation; p: PlannedTimes; centre: string }[] = [];
  for (const wo of problem.workOrders) {
    const release = Math.max(horizon, wo.releaseMinutes ?? 0);
    let previous: string | null = null;
    for (const op of wo.operations) {
      known.add(op.id);
      const p = at.get(op.id);
      if (!p) {
        out.push(`operation ${op.id} is not planned`);
        previous = op.id;
        continue;
      }
      const centre = p.workCenter ?? op.workCenter;
      const allowed = [op.workCenter, ...(op.alternatives ?? [])];
      if (!allowed.includes(centre)) out.push(`operation ${op.id} runs on ${centre}, which is not one of its work centres`);
      for (const d of problem.downtime?.[centre] ?? []) {
        if (!op.frozen && p.start < d.end && p.end > d.start) out.push(`operation ${op.id} runs on ${centre} while it is down`);
      }
      (byCentre.get(centre) ?? byCentre.set(centre, []).get(centre)!).push(p);
      if (op.frozen) {
        if (p.start !== op.frozen.start || p.end !== op.frozen.end) out.push(`frozen operation ${op.id} moved`);
      } else {
        if (p.start < release) out.push(`operation ${op.id} starts at ${p.start}, before its release ${release}`);
        timed.push({ op, p, centre });
      }
      const preds = [...(previous ? [previous] : []), ...(op.predecessors ?? [])];
      for (const pred of preds) {
        const q = at.get(pred);
        if (q && !op.frozen && q.end > p.start) out.push(`operation ${op.id} starts at ${p.start}, before its predecessor ${pred} ends at ${q.end}`);
      }
      previous = op.id;
    }
  }
  for (const p of plan) if (!known.has(p.id)) out.push(`operation ${p.id} is not in the problem`);
  const setups = setupsOf(problem, byCentre);
  for (const { op, p, centre } of timed) {
    const cal = problem.calendars?.[centre] ?? ALWAYS_OPEN;
    const minutes = op.durationMinutes + (setups.get(op.id) ?? 0);
    if (minutes > 0 && !cal.isWorking(p.start)) out.push(`operation ${op.id} starts outside working time on ${centre}`);
    if (cal.workingMinutesBetween(p.start, p.end) !== minutes || p.end < p.start) {
      out.push(`operation ${op.id} has ${cal.workingMinutesBetween(p.start, p.end)} working minutes on ${centre}, needs ${minutes}`);
    }
  }
  for (const [centre, list] of byCentre) {
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    for (let k = 1; k < list.length; k++) {
      if (list[k].start < list[k - 1].end && list[k].end > list[k].start && list[k - 1].end > list[k - 1].start) {
        out.push(`${centre}: ${list[k - 1].id} and ${list[k].id} overlap`);
      }
    }
  }
  return out;
}

/**
 * The changeover each unfrozen operation needs on a centre with a setup matrix, from the plan's own
 * sequence there (the rule of ShopProblem.setupMatrix): after the operation before it, or, for the
 * first unfrozen one, after the frozen operation that ends last.
 */
function setupsOf(problem: ShopProblem, byCentre: Map<string, PlannedTimes[]>): Map<string, number> {
  const out = new Map<string, number>();
  if (!problem.setupMatrix) return out;
  const opById = new Map(problem.workOrders.flatMap((w) => w.operations.map((o) => [o.id, o] as const)));
  for (const [centre, list] of byCentre) {
    const matrix = problem.setupMatrix[centre];
    if (!matrix) continue;
    const frozen = list.filter((p) => opById.get(p.id)?.frozen);
    let previous = frozen.length ? frozen.reduce((a, b) => (b.end > a.end ? b : a)) : null;
    for (const p of [...list].sort((a, b) => a.start - b.start || a.end - b.end)) {
      const op = opById.get(p.id);
      if (!op || op.frozen) continue;
      const from = previous ? opById.get(previous.id)?.setupFamily : undefined;
      const to = op.setupFamily;
      if (from && to && from !== to) out.set(op.id, matrix[from]?.[to] ?? 0);
      previous = p;
    }
  }
  return out;
}
