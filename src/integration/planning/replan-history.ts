import type { Queryable } from '../../platform/index.ts';

/** What the planner board shows of a replan (integration.replans): when, why, and which operations moved. */
export interface ReplanRecord {
  at: string;
  reasons: string[];
  status: 'done' | 'failed';
  moved: { id: string; from: string | null; to: string }[];
  lateWorkOrders: string[];
  /** Where its time went: reading the open work, solving (in the worker), writing the dates. */
  timings?: { readMs: number; solveMs: number; buildMs?: number; scheduleMs?: number; writeMs: number };
  error?: string;
}

/** Replans the board shows, and replans kept in the database. */
export const REPLANS_SHOWN = 20;
export const HISTORY_KEPT = 500;

/** The last automatic replans, newest first (the planner board's card). */
export async function replanHistory(db: Queryable, limit = REPLANS_SHOWN): Promise<ReplanRecord[]> {
  const rows = await db.query<{ at: Date; reasons: string[]; status: ReplanRecord['status']; moved: ReplanRecord['moved']; late_work_orders: string[]; timings: ReplanRecord['timings'] | null; error: string | null }>(
    `select at, reasons, status, moved, late_work_orders, timings, error from integration.replans order by id desc limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    reasons: r.reasons,
    status: r.status,
    moved: r.moved,
    lateWorkOrders: r.late_work_orders,
    ...(r.timings ? { timings: r.timings } : {}),
    ...(r.error ? { error: r.error } : {}),
  }));
}
