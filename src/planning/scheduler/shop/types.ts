import type { WorkCalendar } from '../../calendar.ts';

/** One operation of a work order; times are minutes since the planning origin. */
export interface ShopOperation {
  id: string;
  workCenter: string;
  /** Working minutes, setup included. */
  durationMinutes: number;
  /** Operations (of any work order) that must end before this one starts, e.g. a child work order's last op. */
  predecessors?: string[];
  /** Already running or done: fixed times that everything else must respect. */
  frozen?: { start: number; end: number };
  /** Other work centres that can run it (same duration); the scheduler picks one per operation. */
  alternatives?: string[];
  /**
   * Its setup family (a colour, a die, a material): with a setup matrix on its work centre, the
   * changeover from the previous operation's family there is added before it, in working minutes.
   */
  setupFamily?: string;
}

export interface ShopWorkOrder {
  id: string;
  /** In routing order: each operation must end before the next one starts. */
  operations: ShopOperation[];
  /** Earliest start of its operations. */
  releaseMinutes?: number;
  dueMinutes?: number;
  /** Weight of its tardiness (default 1). */
  weight?: number;
}

export interface ShopProblem {
  workOrders: ShopWorkOrder[];
  /** Compiled calendars per work centre (see compileCalendar); a missing one means 24/7. */
  calendars?: Record<string, WorkCalendar>;
  /** Work centres unavailable over intervals (e.g. a breakdown): nothing is planned on them then. */
  downtime?: Record<string, { start: number; end: number }[]>;
  /** No unfrozen operation starts before this (e.g. "now"); default 0. */
  horizonStart?: number;
  /**
   * Sequence-dependent setups per work centre: working minutes to change over from one setup family
   * to another (work centre → from family → to family → minutes), planned just before the
   * operation. An operation follows the one before it on its centre; the first unfrozen one there
   * follows the frozen operation that ends last. A pair not given costs nothing, and neither does a
   * change to the same family or an operation with nothing before it.
   */
  setupMatrix?: Record<string, Record<string, Record<string, number>>>;
}

export type ShopObjective = 'makespan' | 'tardiness';

export interface ScheduleShopOptions {
  /**
   * 'makespan', or 'tardiness' = total weighted tardiness with makespan as tie-break, where no plan
   * ends after the plan of the plain ATC rule (the first construction): its makespan is a cap.
   */
  objective?: ShopObjective;
  timeLimitMs?: number;
  maxIterations?: number;
  seed?: number;
  now?: () => number;
}

export interface ScheduledOperation {
  id: string;
  workOrderId: string;
  workCenter: string;
  start: number;
  end: number;
  frozen: boolean;
  /** The changeover planned at its start (part of [start, end)), when there is one. */
  setupMinutes?: number;
}

export interface WorkOrderOutcome {
  id: string;
  completion: number;
  tardiness: number;
  weightedTardiness: number;
}

export interface ShopSchedule {
  operations: ScheduledOperation[];
  workOrders: WorkOrderOutcome[];
  makespan: number;
  totalWeightedTardiness: number;
  /** The best constructed schedule's figures, before local search. */
  construction: { makespan: number; totalWeightedTardiness: number; rule: string };
  iterations: number;
  /** Inconsistencies tolerated in the input (e.g. a frozen operation after an unfrozen predecessor). */
  warnings: string[];
}

/** Thrown for a problem that cannot be scheduled (unknown ids, cyclic precedence, bad values). */
export class ShopProblemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShopProblemError';
  }
}
