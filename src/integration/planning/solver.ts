import { Worker } from 'node:worker_threads';
import { conflict, workerFile, type Database } from '../../platform/index.ts';
import type { SolverAnswer, SolverTask } from './solver-task.ts';

/**
 * Runs a solver task in its own worker thread (the event loop stays free); rejects with the
 * worker's error. An abort stops the worker at once and rejects with the signal's reason.
 */
export function solveInWorker(task: SolverTask, signal?: AbortSignal): Promise<SolverAnswer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const worker = new Worker(workerFile('solver-worker', import.meta.url), { workerData: task });
    let settled = false;
    signal?.addEventListener(
      'abort',
      () => {
        if (settled) return;
        settled = true;
        reject(signal.reason);
        void worker.terminate();
      },
      { once: true },
    );
    worker.on('message', (m: { result?: SolverAnswer; error?: { name: string; message: string } }) => {
      if (settled) return;
      settled = true;
      if (m.result) resolve(m.result);
      else if (m.error) reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
    });
    worker.on('error', (e) => {
      if (settled) return;
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`scheduler worker stopped with code ${code}`));
    });
  });
}

/**
 * One schedule at a time per application: a second request while one runs is refused with 409
 * (the planner retries when the first is done; replanning on floor events waits for its turn).
 */
export class ScheduleGate {
  private running: { since: number; by: string } | null = null;

  /** Runs `fn` holding the gate; throws 409 if a schedule is already running. */
  async exclusive<T>(by: string, fn: () => Promise<T>): Promise<T> {
    if (this.running) {
      const secs = Math.round((Date.now() - this.running.since) / 1000);
      throw conflict(`a schedule is already running (started ${secs}s ago by ${this.running.by}); try again when it has finished`, {
        runningSince: new Date(this.running.since).toISOString(),
      });
    }
    this.running = { since: Date.now(), by };
    try {
      return await fn();
    } finally {
      this.running = null;
    }
  }

  /** Waits until no schedule runs, then runs `fn` holding the gate (for background replanning). */
  async queued<T>(by: string, fn: () => Promise<T>): Promise<T> {
    while (this.running) await new Promise((r) => setTimeout(r, 50));
    return this.exclusive(by, fn);
  }
}

const gates = new WeakMap<Database, ScheduleGate>();
/** The application's gate (one per database, like the other per-app planning state). */
export function scheduleGate(db: Database): ScheduleGate {
  return gates.get(db) ?? gates.set(db, new ScheduleGate()).get(db)!;
}
