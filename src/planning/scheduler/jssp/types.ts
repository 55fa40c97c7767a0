/** A job-shop instance: each job is an ordered list of operations, each on one machine. */
export interface JobShopOperation {
  machine: number;
  duration: number;
}

export interface JobShopInstance {
  jobs: JobShopOperation[][];
  machines: number;
}

export interface SolveJobShopOptions {
  /** Wall-clock budget in milliseconds (measured with `now`). */
  timeLimitMs: number;
  /** Seed of the pseudo-random generator; same seed + same maxIterations → same result. */
  seed?: number;
  /** Upper bound on tabu-search iterations (makes a run independent of machine speed). */
  maxIterations?: number;
  /** Milliseconds clock; injected to keep the planning core pure. Defaults to performance.now. */
  now?: () => number;
  /** Called each time a better makespan is found. */
  onProgress?: (best: number, elapsedMs: number) => void;
  /** Stop as soon as this makespan is reached (defaults to the trivial lower bound). */
  targetMakespan?: number;
}

export interface JobShopSolution {
  makespan: number;
  /** starts[j][k] = start time of job j's k-th operation. */
  starts: number[][];
  /** Diagnostics: iterations done and the lower bound used. */
  iterations: number;
  lowerBound: number;
}
