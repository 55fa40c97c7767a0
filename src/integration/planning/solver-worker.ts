import { parentPort } from 'node:worker_threads';
import { runSolverTask, type SolverTask } from './solver-task.ts';

/**
 * Runs scheduling tasks in a worker thread so the server keeps answering while it solves; the
 * thread stays for the next task (see solver.ts).
 */
parentPort!.on('message', (task: SolverTask) => {
  try {
    parentPort!.postMessage({ result: runSolverTask(task) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort!.postMessage({ error: { name: err.name, message: err.message } });
  }
});
