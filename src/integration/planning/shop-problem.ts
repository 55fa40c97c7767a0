import { compileCalendar, type ShopProblem, type ShopWorkOrder, type WorkCalendar } from '../../planning/index.ts';
import type { mesPlanningInputs } from '../../mes/index.ts';

export type PlanningInputs = Awaited<ReturnType<typeof mesPlanningInputs>>;

const MINUTE = 60_000;

/** Minutes since the planning origin of an instant (ISO or Date). */
export const minutesFrom = (origin: number, at: string | Date) => Math.round((new Date(at).getTime() - origin) / MINUTE);
export const instantAt = (origin: number, minutes: number) => new Date(origin + minutes * MINUTE).toISOString();

export interface ProblemOptions {
  /** Pending operations planned to start within this many hours keep their plan (the frozen zone). */
  frozenHours: number;
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
  const byId = new Map(workOrders.map((w) => [w.id, w]));
  for (const { before, after } of inputs.precedence) {
    const parent = byId.get(after);
    const childLast = lastOpen.get(before);
    if (!parent || !childLast) continue;
    const first = parent.operations[0];
    first.predecessors = [...(first.predecessors ?? []), childLast];
  }
  // changeovers per work centre, alternatives included: the matrix belongs to the centre that runs it
  const setupMatrix: NonNullable<ShopProblem['setupMatrix']> = {};
  for (const wc of inputs.workCenters)
    for (const c of wc.setupMatrix) ((setupMatrix[wc.code] ??= {})[c.from] ??= {})[c.to] = c.minutes;
  return { problem: { workOrders, calendars, horizonStart: 0, ...(Object.keys(setupMatrix).length ? { setupMatrix } : {}) }, calendars };
}
