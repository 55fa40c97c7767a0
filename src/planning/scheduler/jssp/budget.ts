/** Shared budget of a whole solve: iterations, wall clock and the target makespan. */
export interface SearchBudget {
  iterations: number;
  maxIterations: number;
  deadline: number;
  now: () => number;
  target: number;
  stopped: boolean;
  /** Called on every new overall best (makespan). */
  improved: (makespan: number) => void;
}

export function budgetExhausted(budget: SearchBudget): boolean {
  if (budget.stopped) return true;
  if (budget.iterations >= budget.maxIterations) budget.stopped = true;
  else if ((budget.iterations & 31) === 0 && budget.now() >= budget.deadline) budget.stopped = true;
  return budget.stopped;
}
