import type { JobShopInstance } from './types.ts';

/**
 * Independent feasibility check of a job-shop schedule (shares no code with the solver).
 * Returns human-readable violations; an empty list means the schedule is feasible.
 */
export function checkSchedule(instance: JobShopInstance, starts: number[][], makespan?: number): string[] {
  const violations: string[] = [];
  if (!Array.isArray(starts) || starts.length !== instance.jobs.length) {
    return [`expected start times for ${instance.jobs.length} jobs, got ${Array.isArray(starts) ? starts.length : 'none'}`];
  }
  const byMachine = new Map<number, { job: number; op: number; start: number; end: number }[]>();
  let latestEnd = 0;
  instance.jobs.forEach((job, j) => {
    const row = starts[j];
    if (!Array.isArray(row) || row.length !== job.length) {
      violations.push(`job ${j}: expected ${job.length} start times, got ${Array.isArray(row) ? row.length : 'none'}`);
      return;
    }
    let previousEnd = 0;
    job.forEach((op, k) => {
      const start = row[k];
      if (typeof start !== 'number' || !Number.isFinite(start) || start < 0) {
        violations.push(`job ${j} op ${k}: invalid start ${String(start)}`);
        return;
      }
      if (start < previousEnd) {
        violations.push(`job ${j} op ${k}: starts at ${start} before its predecessor ends at ${previousEnd}`);
      }
      const end = start + op.duration;
      previousEnd = end;
      latestEnd = Math.max(latestEnd, end);
      const list = byMachine.get(op.machine) ?? [];
      list.push({ job: j, op: k, start, end });
      byMachine.set(op.machine, list);
    });
  });
  for (const [machine, list] of byMachine) {
    const sorted = list.filter((o) => o.end > o.start).sort((a, b) => a.start - b.start || a.end - b.end);
    let reach = sorted[0];
    for (let i = 1; i < sorted.length; i++) {
      const b = sorted[i];
      if (reach !== undefined && b.start < reach.end) {
        violations.push(
          `machine ${machine}: job ${reach.job} op ${reach.op} [${reach.start},${reach.end}) overlaps job ${b.job} op ${b.op} [${b.start},${b.end})`,
        );
      }
      if (reach === undefined || b.end > reach.end) reach = b;
    }
  }
  if (makespan !== undefined && makespan !== latestEnd) {
    violations.push(`reported makespan ${makespan} differs from the latest end ${latestEnd}`);
  }
  return violations;
}
