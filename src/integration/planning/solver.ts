import { Worker } from 'node:worker_threads';
import { conflict, workerFile, type Database } from '../../platform/index.ts';
import type { SolverAnswer, SolverTask } from './solver-task.ts';

/**
 * A solver thread kept warm between tasks: starting one costs more than a replan's whole search
 * (loading the scheduler, and under tsx compiling it). One idle thread is kept (unref'd, so it
 * never holds the process open); a task that finds none starts its own, which becomes the idle
 * one when it is done if there is none, else ends.
 */
let idle: Worker | null = null;

function takeWorker(): Worker {
  const worker = idle ?? startWorker();
  idle = null;
  worker.ref();
  return worker;
}

function startWorker(): Worker {
  const worker = new Worker(workerFile('solver-worker', import.meta.url));
  worker.once('exit', () => {
    if (idle === worker) idle = null;
  });
  return worker;
}

function giveBack(worker: Worker): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  idle = worker;
}

/**
 * Runs a solver task in a worker thread (the event loop stays free); rejects with the worker's
 * error. An abort ends that thread at once and rejects with the signal's reason.
 */
export function solveInWorker(task: SolverTask, signal?: AbortSignal): Promise<SolverAnswer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const worker = takeWorker();
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onMessage = (m: { result?: SolverAnswer; error?: { name: string; message: string } }) => {
      if (!settle()) return;
      giveBack(worker);
      if (m.result) resolve(m.result);
      else reject(Object.assign(new Error(m.error?.message ?? 'the scheduler answered nothing'), { name: m.error?.name ?? 'Error' }));
    };
    const onError = (e: Error) => {
      if (settle()) reject(e);
    };
    const onExit = (code: number) => {
      if (settle()) reject(new Error(`scheduler worker stopped with code ${code}`));
    };
    const onAbort = () => {
      if (!settle()) return;
      reject(signal!.reason);
      void worker.terminate();
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage(task);
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
