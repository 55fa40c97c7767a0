import { parentPort, workerData } from 'node:worker_threads';
import { runSolverTask, type SolverTask } from './solver-task.ts';

/** Runs one scheduling task in a worker thread so the server keeps answering while it solves. */
try {
  parentPort!.postMessage({ result: runSolverTask(workerData as SolverTask) });
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  parentPort!.postMessage({ error: { name: err.name, message: err.message } });
}
