import { applyPlannedDates, mesPlanningInputs, operationPlanStates } from '../../mes/index.ts';
import type { ShopObjective } from '../../planning/index.ts';
import { unprocessable, type Actor, type Clock, type Database } from '../../platform/index.ts';
import { ganttOf, groupByWorkCenter } from './service.ts';
import { instantAt, type PlanningInputs, type ReplanScope } from './shop-problem.ts';
import { solveInWorker, type ScheduleGate } from './solver.ts';

export interface ScheduleRequest {
  objective: ShopObjective;
  timeLimitSeconds: number;
  frozenHours: number;
  seed: number;
  /** The plant's offset from UTC: calendars' shift hours are local time. */
  utcOffsetMinutes: number;
  /** Work centres down since an instant, assumed down until another (a replan after a breakdown). */
  down?: { workCenter: string; from: Date; until: Date }[];
  /** Wait for a schedule under way instead of answering 409 (replanning). */
  waitForTurn?: boolean;
  /** Incremental: only this work (and what must move) is planned again; the rest keeps its dates. */
  scope?: ReplanScope;
  /**
   * Once it has its turn, the run is stopped after this long (a replan that overruns): the solver
   * worker ends, nothing is written, the gate is freed and the last committed plan stays.
   */
  overrunAfterMs?: number;
}

const SHOP_ERRORS = new Set(['ShopProblemError']);

/**
 * Reschedules every open work order on finite capacity, off the event loop and outside any open
 * transaction: the inputs are read in one short transaction, the solver runs in a worker thread,
 * and the planned dates are written in a second unit of work through the MES door (which tells
 * the ERP). What changed on the floor meanwhile is not overwritten: an operation is written only
 * if it is still pending with the same work centre and duration as when it was read
 * (`changedMeanwhile` counts the others; they keep their dates until the next run). One schedule
 * at a time: the gate answers 409 to a second request while one runs.
 */
export async function reschedule(db: Database, actor: Actor, clock: Clock, gate: ScheduleGate, req: ScheduleRequest) {
  return (req.waitForTurn ? gate.queued.bind(gate) : gate.exclusive.bind(gate))(`${actor.kind} ${actor.id}`, async () => {
    if (!req.overrunAfterMs) return planAndWrite(db, actor, clock, req);
    const overrun = new AbortController();
    const timer = setTimeout(() => overrun.abort(new Error(`the replan did not finish within ${(req.overrunAfterMs! / 1000).toFixed(1)} s and was stopped`)), req.overrunAfterMs);
    try {
      return await planAndWrite(db, actor, clock, req, overrun.signal);
    } finally {
      clearTimeout(timer);
    }
  });
}

async function planAndWrite(db: Database, actor: Actor, clock: Clock, req: ScheduleRequest, signal?: AbortSignal) {
  const origin = Math.floor(clock.now().getTime() / 60_000) * 60_000;
  const unit = { actor, module: 'integration' };
  const r0 = performance.now();
  const inputs = await db.unitOfWork(unit, (u) => mesPlanningInputs(u, { utcOffsetMinutes: req.utcOffsetMinutes }));
  const readMs = Math.round(performance.now() - r0);
  const downtime: Record<string, { start: number; end: number }[]> = {};
  for (const d of req.down ?? []) (downtime[d.workCenter] ??= []).push({ start: Math.floor((d.from.getTime() - origin) / 60_000), end: Math.ceil((d.until.getTime() - origin) / 60_000) });
  const t0 = performance.now();
  let answer;
  try {
    answer = await solveInWorker(
      { kind: 'schedule', inputs, origin, frozenHours: req.frozenHours, objective: req.objective, timeLimitMs: req.timeLimitSeconds * 1000, seed: req.seed, downtime, ...(req.scope ? { scope: req.scope } : {}) },
      signal,
    );
  } catch (e) {
    if (e instanceof Error && SHOP_ERRORS.has(e.name)) throw unprocessable(e.message);
    throw e;
  }
  const elapsedMs = Math.round(performance.now() - t0);
  const plan = answer.plan;
  if (!plan) return { ...emptyResult(), ...(await ganttOf(db)) };
  const w0 = performance.now();
  signal?.throwIfAborted();
  const written = await db.unitOfWork(unit, async (uow) => {
    // past this point the dates are written whole or not at all
    signal?.throwIfAborted();
    const free = plan.operations.filter((o) => !o.frozen);
    // running operations keep their place; their planned dates become what they really take
    const wasRunning = new Set(inputs.workOrders.flatMap((w) => w.operations.filter((o) => o.status === 'running' || o.status === 'paused').map((o) => o.id)));
    const considered = [...free.map((o) => o.id), ...plan.operations.filter((o) => o.frozen && wasRunning.has(o.id)).map((o) => o.id)];
    // only the operations the plan would write are read again: what changed on the floor meanwhile is not overwritten
    const current = await operationPlanStates(uow, considered);
    const unchanged = unchangedOperations(inputs, current);
    // the work centre goes with the dates: the scheduler may have chosen one of an operation's alternatives
    const moved = free.filter((o) => unchanged.has(o.id)).map((o) => ({ id: o.id, workCenter: o.workCenter, start: instantAt(origin, o.start), end: instantAt(origin, o.end) }));
    const running = new Set(current.filter((o) => o.status === 'running' || o.status === 'paused').map((o) => o.id));
    const actual = plan.operations.filter((o) => o.frozen && running.has(o.id)).map((o) => ({ id: o.id, start: instantAt(origin, o.start), end: instantAt(origin, o.end) }));
    const before = new Map(current.map((o) => [o.id, o] as const));
    const changed = moved.filter((o) => before.get(o.id)?.plannedStart !== o.start).map((o) => ({ id: o.id, from: before.get(o.id)?.plannedStart ?? null, to: o.start }));
    // only what the plan changes is written (and only the orders it touches go to the ERP): a
    // replan after a breakdown moves a few hundred of thousands of operations
    const toWrite = [...moved, ...actual].filter((o) => {
      const b = before.get(o.id);
      return !b || b.plannedStart !== o.start || b.plannedEnd !== o.end || ('workCenter' in o && o.workCenter !== b.workCenter);
    });
    await applyPlannedDates(uow, { operations: toWrite });
    const late = new Set(plan.workOrders.filter((w) => w.tardiness > 0).map((w) => w.id));
    return {
      objective: req.objective,
      workOrders: answer.workOrders,
      operations: plan.operations.length,
      makespanMinutes: plan.makespan,
      totalWeightedTardinessMinutes: plan.totalWeightedTardiness,
      construction: plan.construction,
      iterations: plan.iterations,
      elapsedMs,
      written: toWrite.length,
      changedMeanwhile: free.length - moved.length,
      moved: changed,
      lateWorkOrders: [...late],
      warnings: plan.warnings,
      workCenters: groupByWorkCenter(
        plan.operations.map((o) => ({ id: o.id, workOrder: o.workOrderId, workCenter: o.workCenter, start: instantAt(origin, o.start), end: instantAt(origin, o.end), late: late.has(o.workOrderId) })),
      ),
    };
  });
  return { ...written, timings: { readMs, solveMs: elapsedMs, ...answer.phases, writeMs: Math.round(performance.now() - w0) } };
}

/** Operations still pending with the work centre and duration they had when the solver read them. */
function unchangedOperations(before: PlanningInputs, now: PlannedOperation[]): Set<string> {
  const key = (o: PlannedOperation) => `${o.status}|${o.workCenter}|${o.durationMinutes}`;
  const then = new Map<string, string>();
  for (const wo of before.workOrders) for (const o of wo.operations) then.set(o.id, key(o));
  const out = new Set<string>();
  for (const o of now) if (o.status === 'pending' && then.get(o.id) === key(o)) out.add(o.id);
  return out;
}

type PlannedOperation = PlanningInputs['workOrders'][number]['operations'][number];

function emptyResult() {
  return { objective: null, workOrders: 0, operations: 0, makespanMinutes: 0, totalWeightedTardinessMinutes: 0, changedMeanwhile: 0, lateWorkOrders: [] as string[], warnings: [] as string[] };
}
