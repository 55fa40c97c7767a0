import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { runMrp, type MrpInput, type MrpResult } from '../../planning/index.ts';
import { workerFile } from '../../platform/index.ts';

export interface PlanningJob {
  id: string;
  kind: 'mrp';
  status: 'running' | 'done' | 'failed';
  progress: number;
  startedAt: string;
  finishedAt: string | null;
  result: unknown;
  error: string | null;
  done: Promise<MrpResult>;
}

const KEEP_MS = 3_600_000;

/** Long planning runs as jobs with progress: MRP in a worker thread, kept an hour after it ends. */
export class PlanningJobs {
  private readonly jobs = new Map<string, PlanningJob>();

  /** Small runs are computed in place; large ones (or all, when forced) in a worker. */
  startMrp(input: MrpInput, opts: { inWorker: boolean }): PlanningJob {
    this.expire();
    const job: PlanningJob = {
      id: `job-${randomUUID()}`,
      kind: 'mrp',
      status: 'running',
      progress: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      result: null,
      error: null,
      done: Promise.resolve(null as unknown as MrpResult),
    };
    job.done = opts.inWorker ? this.inWorker(job, input) : Promise.resolve().then(() => runMrp(input));
    job.done.then(
      (r) => Object.assign(job, { status: 'done', progress: 1, result: r, finishedAt: new Date().toISOString() }),
      (e) => Object.assign(job, { status: 'failed', error: String(e?.message ?? e), finishedAt: new Date().toISOString() }),
    );
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string) {
    return this.jobs.get(id);
  }

  private inWorker(job: PlanningJob, input: MrpInput): Promise<MrpResult> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(workerFile('mrp-worker', import.meta.url), { workerData: input });
      worker.on('message', (m: { progress?: number; result?: MrpResult; error?: { name: string; message: string } }) => {
        if (m.progress !== undefined) job.progress = Math.round(m.progress * 1000) / 1000;
        if (m.result) resolve(m.result);
        if (m.error) reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => code !== 0 && reject(new Error(`MRP worker stopped with code ${code}`)));
    });
  }

  private expire() {
    const now = Date.now();
    for (const [id, j] of this.jobs) if (j.finishedAt && now - Date.parse(j.finishedAt) > KEEP_MS) this.jobs.delete(id);
  }
}

export const jobView = (j: PlanningJob) => ({
  id: j.id,
  kind: j.kind,
  status: j.status,
  progress: j.progress,
  startedAt: j.startedAt,
  finishedAt: j.finishedAt,
  ...(j.status === 'done' ? { result: j.result } : {}),
  ...(j.error ? { error: j.error } : {}),
});
