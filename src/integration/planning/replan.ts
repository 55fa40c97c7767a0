import { raiseAlert, systemActor, type Database, type Message, type ModuleDeps } from '../../platform/index.ts';
import { reschedule } from './reschedule.ts';
import { scheduleGate } from './solver.ts';

/** What the planner board shows of a replan: when, why, and which operations moved. */
export interface ReplanRecord {
  at: string;
  reasons: string[];
  status: 'done' | 'failed';
  moved: { id: string; from: string | null; to: string }[];
  lateWorkOrders: string[];
  /** Where its time went: reading the open work, solving (in the worker), writing the dates. */
  timings?: { readMs: number; solveMs: number; writeMs: number };
  error?: string;
}

/** The messages that make the plan stale. */
export const REPLAN_TRIGGERS = ['mes.equipment.state-changed', 'ProcessOperationsSchedule', 'ChangeOperationsSchedule'];

const KEEP = 20;

/**
 * Replanning when the floor changes: a work centre down longer than the threshold (planned around,
 * assumed down for a while), a centre back up after such a breakdown, new orders released or a
 * change accepted. Triggers are debounced (each new one restarts the wait), so a flapping machine
 * costs one replan once it settles; a replan keeps the frozen horizon and running operations, runs
 * in the solver worker after any schedule under way, and commits its dates in one unit of work,
 * which tells the ERP as a manual schedule does (late lines raise `late_order` there). A replan that
 * fails or overruns its limit keeps the last committed plan and raises an alert.
 */
export class Replanner {
  private readonly down = new Map<string, Date>();
  /** Centres whose breakdown was planned around (their return triggers a replan). */
  private readonly plannedAround = new Set<string>();
  private readonly downTimers = new Map<string, NodeJS.Timeout>();
  private timer: NodeJS.Timeout | null = null;
  private reasons: string[] = [];
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
    const so = (msg.payload as { salesOrderId?: string }).salesOrderId;
    this.trigger(msg.type === 'ChangeOperationsSchedule' ? `change accepted for ${so ?? 'an order'}` : `new order ${so ?? ''} released`.replace('  ', ' '));
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
    if (this.plannedAround.delete(wc)) this.trigger(`${wc} back up`);
  }

  private trigger(reason: string): void {
    this.reasons.push(reason);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const reasons = this.reasons;
      this.reasons = [];
      this.running = this.running.then(() => this.replan(reasons));
    }, this.deps.config.replanDebounceMs).unref();
  }

  /** Stops pending timers (app shutdown). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.downTimers.values()) clearTimeout(t);
    this.downTimers.clear();
    this.timer = null;
  }

  private async replan(reasons: string[]): Promise<void> {
    const { config, clock, db } = this.deps;
    const now = clock.now();
    const down = [...this.plannedAround].map((wc) => ({ workCenter: wc, from: this.down.get(wc) ?? now, until: new Date(now.getTime() + config.replanAssumedDownHours * 3_600_000) }));
    const limitMs = config.replanTimeLimitSeconds * 1000;
    const record: ReplanRecord = { at: now.toISOString(), reasons, status: 'done', moved: [], lateWorkOrders: [] };
    try {
      const work = reschedule(db, { ...systemActor, id: 'planning:replan' }, clock, scheduleGate(db), {
        objective: 'tardiness',
        timeLimitSeconds: config.replanTimeLimitSeconds,
        frozenHours: config.replanFrozenHours,
        seed: 1,
        utcOffsetMinutes: config.plantUtcOffsetMinutes,
        down,
        waitForTurn: true,
      });
      const result = await withLimit(work, limitMs + 30_000);
      record.moved = 'moved' in result ? result.moved : [];
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

function withLimit<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`replan did not finish within ${Math.round(ms / 1000)} s`)), ms);
    t.unref();
    work.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

const replanners = new WeakMap<Database, Replanner>();
/** The application's replanner (one per database, like the schedule gate). */
export function replannerOf(deps: ModuleDeps): Replanner {
  return replanners.get(deps.db) ?? replanners.set(deps.db, new Replanner(deps)).get(deps.db)!;
}
