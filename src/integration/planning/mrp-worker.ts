import { parentPort, workerData } from 'node:worker_threads';
import { runMrp, type MrpInput } from '../../planning/index.ts';
import { messageOf } from '../../platform/kernel/index.ts';

/** Runs one MRP in a worker thread so the server keeps answering (and can report progress). */
const input = workerData as MrpInput;
try {
  const result = runMrp(input, { onProgress: (planned, total) => parentPort!.postMessage({ progress: total ? planned / total : 1 }) });
  parentPort!.postMessage({ result });
} catch (e: unknown) {
  parentPort!.postMessage({ error: { name: (e as Partial<Error> | null | undefined)?.name ?? 'Error', message: messageOf(e) } });
}
