import { compileCalendar, type ShopProblem, type ShopWorkOrder, type WorkCalendar } from '../../planning/index.ts';
import type { mesPlanningInputs } from '../../mes/index.ts';

export type PlanningInputs = Awaited<ReturnType<typeof mesPlanningInputs>>;

const MINUTE = 60_000;

/** Minutes since the planning origin of an instant (ISO or Date). */
export const minutesFrom = (origin: number, at: string | Date) => Math.round(((typeof at === 'string' ? Date.parse(at) : at.getTime()) - origin) / MINUTE);
export const instantAt = (origin: number, minutes: number) => new Date(origin + minutes * MINUTE).toISOString();

export interface ProblemOptions {
  /** Pending operations planned to start within this many hours keep their plan (the frozen zone). */
  frozenHours: number;
  /** An incremental replan: only this work moves, the rest of the committed plan stays (see `keepUnaffected`). */
  scope?: ReplanScope;
  /** Work centres down over intervals (minutes from the origin). */
  downtime?: Record<string, { start: number; end: number }[]>;
}

/**
 * What an incremental replan may move, besides what must: operations never planned, operations
 * planned before now, on a centre while it is down, or over a running operation that runs longer
 * than planned. Plain data (it crosses into the solver worker).
 */
export interface ReplanScope {
  /** Operations that may move (those a breakdown pushed back, once their centre is up again). */
  operations: string[];
  /** Orders released or changed: all their pending work may move. */
  salesOrders: string[];
  /** Work orders left short by scrap (their remaining work shrank) or otherwise changed. */
  workOrders: string[];
}

/**
 * Turns the MES's open work orders into the scheduler's problem: done operations drop out, running
 * ones are frozen from their start to now + their remaining minutes, pending ones are free unless
 * inside the frozen zone; a child work order's last open operation precedes its parent's first.
 */
export function buildShopProblem(inputs: PlanningInputs, origin: number, opts: ProblemOptions): { problem: ShopProblem; calendars: Record<string, WorkCalendar> } {
  const calendars: Record<string, WorkCalendar> = {};
  for (const wc of inputs.workCenters) calendars[wc.code] = compileCalendar(wc.calendar, origin);
  const frozenUntil = opts.frozenHours * 60;
  const firstOpen = new Map<string, string>();
  const lastOpen = new Map<string, string>();
  const workOrders: ShopWorkOrder[] = [];
  for (const wo of inputs.workOrders) {
    const ops = wo.operations.filter((o) => o.status !== 'done' && o.status !== 'cancelled');
    if (!ops.length) continue;
    firstOpen.set(wo.id, ops[0].id);
    lastOpen.set(wo.id, ops[ops.length - 1].id);
    workOrders.push({
      id: wo.id,
      dueMinutes: wo.dueDate ? minutesFrom(origin, `${wo.dueDate}T23:59:59Z`) : undefined,
      weight: 1 + Math.max(0, wo.priority ?? 0),
      operations: ops.map((o) => {
        const cal = calendars[o.workCenter];
        let frozen: { start: number; end: number } | undefined;
        if (o.frozen) {
          const start = Math.min(0, o.startedAt ? minutesFrom(origin, o.startedAt) : 0);
          frozen = { start, end: Math.max(start + 1, cal ? cal.finishTime(0, o.remainingMinutes) : o.remainingMinutes) };
        } else if (frozenUntil > 0 && o.plannedStart && o.plannedEnd && minutesFrom(origin, o.plannedStart) < frozenUntil) {
          frozen = { start: minutesFrom(origin, o.plannedStart), end: minutesFrom(origin, o.plannedEnd) };
        }
        return {
          id: o.id,
          workCenter: o.workCenter,
          durationMinutes: Math.max(0, Math.ceil(o.durationMinutes)),
          ...(frozen ? { frozen } : {}),
          ...(o.alternatives.length ? { alternatives: o.alternatives } : {}),
          ...(o.setupFamily ? { setupFamily: o.setupFamily } : {}),
        };
      }),
    });
  }
  // changeovers per work centre, alternatives included: the matrix belongs to the centre that runs it
  const setupMatrix: NonNullable<ShopProblem['setupMatrix']> = {};
  for (const wc of inputs.workCenters)
    for (const c of wc.setupMatrix) ((setupMatrix[wc.code] ??= {})[c.from] ??= {})[c.to] = c.minutes;
  const blocked: Record<string, { start: number; end: number }[]> = {};
  for (const [wc, list] of Object.entries(opts.downtime ?? {})) blocked[wc] = [...list];
  let planned = workOrders;
  if (opts.scope) {
    keepUnaffected(inputs, workOrders, origin, opts.scope, opts.downtime ?? {});
    planned = withoutSettled(inputs, workOrders, blocked, new Set(Object.keys(setupMatrix)));
  }
  const byId = new Map(planned.map((w) => [w.id, w]));
  const all = new Map(workOrders.map((w) => [w.id, w]));
  for (const { before, after } of inputs.precedence) {
    const parent = byId.get(after);
    const childLast = lastOpen.get(before);
    if (!parent || !childLast) continue;
    const child = byId.get(before);
    if (!child) {
      // a settled child (left out): its parent starts after it as planned
      const end = all.get(before)?.operations.at(-1)?.frozen?.end ?? 0;
      parent.releaseMinutes = Math.max(parent.releaseMinutes ?? 0, end);
      continue;
    }
    const first = parent.operations[0];
    first.predecessors = [...(first.predecessors ?? []), childLast];
  }
  const downtime = Object.keys(blocked).length ? { downtime: blocked } : {};
  return { problem: { workOrders: planned, calendars, horizonStart: 0, ...downtime, ...(Object.keys(setupMatrix).length ? { setupMatrix } : {}) }, calendars };
}

/**
 * An incremental replan leaves out the work orders it does not touch: every operation kept where
 * it is, none running (a running one's dates are rewritten from what it really takes) and none on
 * a centre with a setup matrix (the changeover into the next operation depends on it). Their
 * operations only occupy their centres, so they become blocked time there: the solver works on a
 * few hundred operations instead of every open one, and its answer carries only those.
 */
function withoutSettled(
  inputs: PlanningInputs,
  workOrders: ShopWorkOrder[],
  blocked: Record<string, { start: number; end: number }[]>,
  matrixCentres: Set<string>,
): ShopWorkOrder[] {
  const running = new Set(inputs.workOrders.flatMap((w) => w.operations.filter((o) => o.status === 'running' || o.status === 'paused').map((o) => o.id)));
  return workOrders.filter((wo) => {
    const settled = wo.operations.every((o) => o.frozen && !running.has(o.id) && !matrixCentres.has(o.workCenter));
    if (!settled) return true;
    for (const o of wo.operations) if (o.frozen!.end > o.frozen!.start) (blocked[o.workCenter] ??= []).push(o.frozen!);
    return false;
  });
}

/**
 * Incremental replanning: every pending operation keeps its committed dates (frozen in place)
 * unless it has to move or the scope says it may: never planned, planned before now, in the
 * scope (named, or of a work order or sales order named), on a centre over its downtime, overlapping a fixed operation on its centre (one running
 * longer than planned), or after something that moves: the later operations of its work order
 * and the parent work order's (to a fixed point). The solver then places only that work, in the
 * gaps the plan leaves, so a breakdown rewrites the dates of the work it touches and no other.
 */
function keepUnaffected(inputs: PlanningInputs, workOrders: ShopWorkOrder[], origin: number, scope: ReplanScope, downtime: Record<string, { start: number; end: number }[]>): void {
  const planned = new Map(inputs.workOrders.flatMap((w) => w.operations.map((o) => [o.id, o] as const)));
  const info = new Map(inputs.workOrders.map((w) => [w.id, w]));
  const parentOf = new Map(inputs.precedence.map((p) => [p.before, p.after]));
  const childrenOf = new Map<string, string[]>();
  for (const p of inputs.precedence) (childrenOf.get(p.after) ?? childrenOf.set(p.after, []).get(p.after)!).push(p.before);
  const byId = new Map(workOrders.map((w) => [w.id, w]));
  const movable = new Set(scope.operations);
  const orders = new Set(scope.salesOrders);
  const wos = new Set(scope.workOrders);
  const kept = new Map<string, { start: number; end: number }>();
  const free = new Set<string>();
  // operations the replan cannot move: running ones, those in the frozen zone (already frozen)
  const fixedOn = new Map<string, { start: number; end: number }[]>();
  for (const [wc, list] of Object.entries(downtime)) fixedOn.set(wc, [...list]);
  for (const wo of workOrders)
    for (const op of wo.operations) if (op.frozen) (fixedOn.get(op.workCenter) ?? fixedOn.set(op.workCenter, []).get(op.workCenter)!).push(op.frozen);
  const overlapsFixed = (wc: string, s: number, e: number) => {
    const list = fixedOn.get(wc);
    if (list) for (const f of list) if (f.start < e && s < f.end) return true;
    return false;
  };
  for (const wo of workOrders) {
    const meta = info.get(wo.id)!;
    const whole = wos.has(wo.id) || (meta.salesOrder !== null && orders.has(meta.salesOrder));
    for (const op of wo.operations) {
      if (op.frozen) continue;
      const o = planned.get(op.id)!;
      if (whole || movable.has(op.id) || !o.plannedStart || !o.plannedEnd) {
        free.add(op.id);
        continue;
      }
      const s = minutesFrom(origin, o.plannedStart);
      const e = minutesFrom(origin, o.plannedEnd);
      if (s < 0 || overlapsFixed(op.workCenter, s, e)) free.add(op.id);
      else kept.set(op.id, { start: s, end: e });
    }
  }
  // what follows moving work moves too: later operations of the work order, then the parent's
  const queue = [...byId.keys()];
  const queued = new Set(queue);
  while (queue.length) {
    const id = queue.pop()!;
    queued.delete(id);
    const wo = byId.get(id)!;
    // the end of what precedes each operation, as planned or fixed
    let before = -Infinity;
    for (const c of childrenOf.get(id) ?? []) {
      const last = byId.get(c)?.operations.at(-1);
      if (!last) continue;
      before = Math.max(before, last.frozen ? last.frozen.end : free.has(last.id) ? Infinity : (kept.get(last.id)?.end ?? -Infinity));
    }
    let changed = false;
    for (const op of wo.operations) {
      const k = kept.get(op.id);
      if (k && before > k.start) {
        kept.delete(op.id);
        free.add(op.id);
        changed = true;
      }
      before = op.frozen ? op.frozen.end : free.has(op.id) ? Infinity : k!.end;
    }
    const parent = parentOf.get(id);
    if (changed && parent && byId.has(parent) && !queued.has(parent)) {
      queue.push(parent);
      queued.add(parent);
    }
  }
  for (const wo of workOrders) for (const op of wo.operations) if (kept.has(op.id)) op.frozen = kept.get(op.id);
}
