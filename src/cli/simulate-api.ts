/** What the simulator (simulate.ts) runs on: the work centres and their running operations. */
export interface Job {
  operation: string | null;
  minutesPerUnit: number;
  /** Pieces this operation may still pass (good + scrap); Infinity when unknown. */
  available: number;
  /** Pieces already counted for it, as the MES sees them. */
  counted: number;
}

export interface SimWorkCenter {
  code: string;
  plant: string;
}

/** The work centres and their running operation (null: nothing to do); asked every few seconds. */
export type JobsSource = () => Promise<{ workCenters: SimWorkCenter[]; jobs: Map<string, Job> }>;

/** What the simulator reads of the MES's answers (quantities may come as decimal strings). */
interface ApiWorkCenter {
  code: string;
  plant?: string | null;
}
interface ApiOperation {
  id: string;
  seq: number;
  status: string;
  paused?: boolean;
  workCenter: string;
  goodQty: number | string;
  scrapQty: number | string;
  minutesPerUnit?: number | string | null;
}
interface ApiWorkOrder {
  qty: number | string;
  operations: ApiOperation[];
}

/** Running operations per work centre from the public HTTP API. */
export function jobsFromApi(api: string, headers: Record<string, string>, plants?: string[]): JobsSource {
  const get = async <T>(path: string) => {
    const r = await fetch(`${api.replace(/\/$/, '')}${path}`, { headers });
    if (!r.ok) throw new Error(`GET ${path}: ${r.status}`);
    return r.json() as Promise<T>;
  };
  return async () => {
    const [centres, orders] = await Promise.all([get<ApiWorkCenter[]>('/api/v1/mes/work-centers'), get<ApiWorkOrder[]>('/api/v1/mes/work-orders?status=in_progress')]);
    const workCenters: SimWorkCenter[] = centres
      .map((c) => ({ code: c.code, plant: c.plant ?? 'main' }))
      .filter((c) => !plants?.length || plants.includes(c.plant));
    const jobs = new Map<string, Job>();
    for (const wo of orders) {
      const ops = [...wo.operations].sort((a, b) => a.seq - b.seq);
      ops.forEach((op, i) => {
        if (op.status !== 'running' || op.paused || jobs.has(op.workCenter)) return;
        const passedBefore = i === 0 ? Number(wo.qty) : Number(ops[i - 1].goodQty);
        const counted = Number(op.goodQty) + Number(op.scrapQty);
        const available = i === 0 ? Number(wo.qty) - Number(op.goodQty) : passedBefore - counted;
        jobs.set(op.workCenter, { operation: op.id, minutesPerUnit: Number(op.minutesPerUnit ?? 1), available: Math.max(0, available), counted });
      });
    }
    return { workCenters, jobs };
  };
}
