import { scheduleShop, type ShopObjective, type ShopSchedule, type ShopWorkOrder } from '../../planning/index.ts';
import { buildShopProblem, type PlanningInputs, type ReplanScope } from './shop-problem.ts';

/**
 * What the solver worker is asked to do. Plain data only (it crosses a thread boundary): the MES's
 * planning inputs as read, the origin, and the options; the worker builds the problem itself
 * (compiled calendars are objects with methods and are not cloned).
 */
export type SolverTask =
  | {
      kind: 'schedule';
      inputs: PlanningInputs;
      origin: number;
      frozenHours: number;
      objective: ShopObjective;
      timeLimitMs: number;
      seed: number;
      /** Work centres down over intervals (minutes from the origin): nothing is planned on them then. */
      downtime?: Record<string, { start: number; end: number }[]>;
      /** An incremental replan: only this work (and what must move) is planned again. */
      scope?: ReplanScope;
    }
  | {
      /** Capable-to-promise: the current plan frozen, the new order's work orders inserted. */
      kind: 'ctp';
      inputs: PlanningInputs;
      origin: number;
      newOrders: ShopWorkOrder[];
      release: number;
    };

export interface SolverAnswer {
  /** The problem had work orders to plan (else `plan` is null). */
  plan: ShopSchedule | null;
  workOrders: number;
  /** Inside the worker: building the problem, then scheduling it (the rest of the time is the thread's start and the copies). */
  phases?: { buildMs: number; scheduleMs: number };
}

/** Runs one task (in the worker; in place in unit tests). */
export function runSolverTask(task: SolverTask): SolverAnswer {
  if (task.kind === 'schedule') {
    const t0 = performance.now();
    const { problem } = buildShopProblem(task.inputs, task.origin, { frozenHours: task.frozenHours, scope: task.scope, downtime: task.downtime });
    if (!problem.workOrders.length) return { plan: null, workOrders: 0 };
    const t1 = performance.now();
    const plan = scheduleShop(problem, { objective: task.objective, timeLimitMs: task.timeLimitMs, seed: task.seed });
    return { plan, workOrders: problem.workOrders.length, phases: { buildMs: Math.round(t1 - t0), scheduleMs: Math.round(performance.now() - t1) } };
  }
  // Everything already planned keeps its place: freeze it over the whole horizon.
  const { problem } = buildShopProblem(task.inputs, task.origin, { frozenHours: 24 * 3650 });
  for (const wo of problem.workOrders)
    for (const op of wo.operations) if (!op.frozen) op.frozen = { start: 0, end: op.durationMinutes };
  for (const wo of task.newOrders) wo.releaseMinutes = task.release;
  problem.workOrders.push(...task.newOrders);
  if (!task.newOrders.length) return { plan: null, workOrders: 0 };
  return { plan: scheduleShop(problem, { objective: 'makespan', maxIterations: 0, seed: 1 }), workOrders: problem.workOrders.length };
}
