import { raiseAlert, systemActor, type Database, type Message, type ModuleDeps } from '../../platform/index.ts';
import { reschedule } from './reschedule.ts';
import type { ReplanScope } from './shop-problem.ts';
import { scheduleGate } from './solver.ts';

/** What the planner board shows of a replan: when, why, and which operations moved. */
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

/** The messages that make the plan stale (a work order's progress: when scrap leaves it short). */
export const REPLAN_TRIGGERS = ['mes.equipment.state-changed', 'ProcessOperationsSchedule', 'ChangeOperationsSchedule', 'ProcessOperationsPerformance'];

const KEEP = 20;
/** Beyond the solver's limit, what reading the open work and writing the dates may take before the replan is stopped. */
const OVERRUN_MARGIN_MS = 30_000;

/**
 * Replanning when the floor changes: a work centre down longer than the threshold (planned around,
 * assumed down for a while), a centre back up after such a breakdown, new orders released, a
 * change accepted, scrap that leaves a work order short. Triggers are debounced (each new one
 * restarts the wait), so a flapping machine costs one replan once it settles. A replan is
 * incremental: only the work the events touch moves (the broken centre's operations over the
 * breakdown, what a breakdown pushed back once its centre is up, the new or changed orders', the
 * short work order's, and what follows them), the rest of the committed plan keeps its dates, as do the frozen horizon and
 * running operations. It runs in the solver worker after any schedule under way and commits its
 * dates in one unit of work, which tells the ERP as a manual schedule does (late lines raise
 * `late_order` there). A replan that fails or overruns its limit is stopped, keeps the last
 * committed plan and raises an alert.
 */
export class Replanner {
  private readonly down = new Map<string, Date>();
  /** Centres whose breakdown was planned around (their return triggers a replan). */
  private readonly plannedAround = new Set<string>();
  private readonly downTimers = new Map<string, NodeJS.Timeout>();
  private timer: NodeJS.Timeout | null = null;
  private reasons: string[] = [];
  private scope: ReplanScope = emptyScope();
  /** Per centre planned around: the operations its breakdown pushed back (they may come earlier once it is up). */
  private readonly pushedBack = new Map<string, Set<string>>();
  /** Scrap last heard per work order: a report that adds scrap leaves it short. */
  private readonly scrapOf = new Map<string, number>();
  readonly history: ReplanRecord[] = [];
  running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ModuleDeps) {}

  get enabled(): boolean {
    return this.deps.config.replanOnEvents;
  }

  /** Consumer entry: never throws (a replan that fails is an alert, not a redelivery). */
  async handle(msg: Message): Promise<void> {
    if (!this.enabled) return;
    if (msg.type === 'mes.equipment.state-changed') return this.equipment(msg.payload as { workCenter: string; state: string; at: string });
    if (msg.type === 'ProcessOperationsPerformance') return this.progress(msg.payload as { workOrderId: string; scrapQty: number; event: string });
    const so = (msg.payload as { salesOrderId?: string | null }).salesOrderId;
    if (so) this.scope.salesOrders.push(so);
    this.trigger(msg.type === 'ChangeOperationsSchedule' ? `change accepted for ${so ?? 'an order'}` : `new order ${so ?? ''} released`.replace('  ', ' '));
  }

  /** Scrap that leaves an open work order short: its later operations have less to do. */
  private progress(p: { workOrderId: string; scrapQty: number; event: string }): void {
    const seen = this.scrapOf.get(p.workOrderId) ?? 0;
    if (p.event === 'completed' || p.event === 'cancelled') {
      this.scrapOf.delete(p.workOrderId);
      return;
    }
    if (!(p.scrapQty > seen)) return;
    this.scrapOf.set(p.workOrderId, p.scrapQty);
    this.scope.workOrders.push(p.workOrderId);
    this.trigger(`${p.workOrderId} short by ${p.scrapQty} scrapped`);
  }

  private equipment(e: { workCenter: string; state: string; at: string }): void {
    const wc = e.workCenter;
    if (e.state === 'down') {
      if (this.down.has(wc)) return;
      const since = new Date(e.at);
      this.down.set(wc, since);
      const wait = Math.max(0, this.deps.config.replanDownThresholdMs - (this.deps.clock.now().getTime() - since.getTime()));
      this.downTimers.set(
        wc,
        setTimeout(() => {
          this.downTimers.delete(wc);
          if (this.down.get(wc) !== since) return;
          this.plannedAround.add(wc);
          this.trigger(`${wc} down since ${since.toISOString()}`);
        }, wait).unref(),
      );
      return;
    }
    // running or idle: the breakdown is over
    const timer = this.downTimers.get(wc);
    if (timer) clearTimeout(timer);
    this.downTimers.delete(wc);
    this.down.delete(wc);
    if (this.plannedAround.delete(wc)) {
      this.scope.operations.push(...(this.pushedBack.get(wc) ?? []));
      this.pushedBack.delete(wc);
      this.trigger(`${wc} back up`);
    }
  }

  private trigger(reason: string): void {
    this.reasons.push(reason);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const reasons = this.reasons;
      const scope = this.scope;
      this.reasons = [];
      this.scope = emptyScope();
      this.running = this.running.then(() => this.replan(reasons, scope));
    }, this.deps.config.replanDebounceMs).unref();
  }

  /** Stops pending timers (app shutdown). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.downTimers.values()) clearTimeout(t);
    this.downTimers.clear();
    this.timer = null;
  }

  private async replan(reasons: string[], scope: ReplanScope): Promise<void> {
    const { config, clock, db } = this.deps;
    const now = clock.now();
    const down = [...this.plannedAround].map((wc) => ({ workCenter: wc, from: this.down.get(wc) ?? now, until: new Date(now.getTime() + config.replanAssumedDownHours * 3_600_000) }));
    const limitMs = config.replanTimeLimitSeconds * 1000;
    const record: ReplanRecord = { at: now.toISOString(), reasons, status: 'done', moved: [], lateWorkOrders: [] };
    try {
      const result = await reschedule(db, { ...systemActor, id: 'planning:replan' }, clock, scheduleGate(db), {
        objective: 'tardiness',
        timeLimitSeconds: config.replanTimeLimitSeconds,
        frozenHours: config.replanFrozenHours,
        seed: 1,
        utcOffsetMinutes: config.plantUtcOffsetMinutes,
        down,
        waitForTurn: true,
        scope,
        // the solver has its limit; reading and writing get a margin, past which the run is stopped
        overrunAfterMs: limitMs + OVERRUN_MARGIN_MS,
      });
      record.moved = 'moved' in result ? result.moved : [];
      // what this replan moved while centres were down may come back once they are up
      for (const d of down) {
        const pushed = this.pushedBack.get(d.workCenter) ?? this.pushedBack.set(d.workCenter, new Set()).get(d.workCenter)!;
        for (const m of record.moved) pushed.add(m.id);
      }
      record.lateWorkOrders = result.lateWorkOrders;
      if ('timings' in result) record.timings = result.timings;
    } catch (e) {
      record.status = 'failed';
      record.error = e instanceof Error ? e.message : String(e);
      this.deps.log.warn({ err: e, reasons }, 'replan failed; the last committed plan stays');
      await db
        .unitOfWork({ actor: systemActor, module: 'integration' }, (u) =>
          raiseAlert(u, { kind: 'integration_failure', severity: 'warning', ref: `replan ${record.at}`, message: `replanning (${reasons.join('; ')}) failed: ${record.error}; the last committed plan stays` }),
        )
        .catch((err) => this.deps.log.error({ err }, 'could not raise the replan alert'));
    }
    this.history.unshift(record);
    this.history.length = Math.min(this.history.length, KEEP);
  }
}

const emptyScope = (): ReplanScope => ({ operations: [], salesOrders: [], workOrders: [] });

const replanners = new WeakMap<Database, Replanner>();
/** The application's replanner (one per database, like the schedule gate). */
export function replannerOf(deps: ModuleDeps): Replanner {
  return replanners.get(deps.db) ?? replanners.set(deps.db, new Replanner(deps)).get(deps.db)!;
}
