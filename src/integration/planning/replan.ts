import { nextDailyAt, raiseAlert, systemActor, type Database, type Message, type ModuleDeps, type UnitOfWork } from '../../platform/index.ts';
import { reschedule } from './reschedule.ts';
import { HISTORY_KEPT, type ReplanRecord } from './replan-history.ts';
import type { ReplanScope } from './shop-problem.ts';
import { scheduleGate } from './solver.ts';

/** The messages that make the plan stale (a work order's progress: when scrap leaves it short). */
export const REPLAN_TRIGGERS = ['mes.equipment.state-changed', 'ProcessOperationsSchedule', 'ChangeOperationsSchedule', 'ProcessOperationsPerformance'];

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
 *
 * What it must remember lives in the database (migration 030_replans.sql), written with the
 * inbox row of the message that taught it: the centres down and what their breakdowns pushed
 * back, the triggers not yet replanned, the scrap heard, the history. A restart loses only the
 * timers, and `resume` sets them again from those rows.
 *
 * With `rescheduleDailyAt` it also reschedules everything pending once a day (the drift of a day
 * of incremental patches is undone), through the same pending rows, gate and history.
 */
export class Replanner {
  private readonly downTimers = new Map<string, NodeJS.Timeout>();
  private timer: NodeJS.Timeout | null = null;
  private daily: NodeJS.Timeout | null = null;
  private stopped = false;
  running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ModuleDeps) {}

  get enabled(): boolean {
    return this.deps.config.replanOnEvents;
  }

  /** Consumer entry, in the message's unit of work: never throws for a replan (a replan that fails is an alert, not a redelivery). */
  async handle(msg: Message, uow: UnitOfWork): Promise<void> {
    if (!this.enabled) return;
    if (msg.type === 'mes.equipment.state-changed') return this.equipment(uow, msg.payload as { workCenter: string; state: string; at: string });
    if (msg.type === 'ProcessOperationsPerformance') return this.progress(uow, msg.payload as { workOrderId: string; scrapQty: number; event: string });
    const so = (msg.payload as { salesOrderId?: string | null }).salesOrderId;
    const reason = msg.type === 'ChangeOperationsSchedule' ? `change accepted for ${so ?? 'an order'}` : `new order ${so ?? ''} released`.replace('  ', ' ');
    await this.trigger(uow, reason, { ...emptyScope(), salesOrders: so ? [so] : [] });
  }

  /** After a start: the timers a restart lost, from what the database remembers, and the daily reschedule's. */
  async resume(): Promise<void> {
    this.armDaily();
    const [pending] = await this.deps.db.query<{ n: number }>(`select count(*)::int as n from integration.replan_pending`);
    if (pending!.n > 0) this.armDebounce();
    if (!this.enabled) return;
    const downs = await this.deps.db.query<{ work_center: string; down_since: Date }>(
      `select work_center, down_since from integration.replan_centres where not planned_around`,
    );
    for (const d of downs) this.armDown(d.work_center, new Date(d.down_since));
  }

  /** The daily full reschedule (`rescheduleDailyAt`): all pending work may move, so the drift of a day of patches is undone. */
  private armDaily(): void {
    const at = this.deps.config.rescheduleDailyAt;
    if (!at || this.stopped) return;
    // a second on from now: a timer that fires a moment early must not find today's time again
    const now = this.deps.clock.now().getTime();
    const when = nextDailyAt(new Date(now + 1000), at, this.deps.config.plantUtcOffsetMinutes).getTime();
    this.daily = setTimeout(() => {
      this.daily = null;
      this.running = this.running
        .then(async () => {
          // remembered like any trigger: a crash during the reschedule runs it again at the next start
          await this.deps.db.unitOfWork({ actor: { ...systemActor, id: 'planning:replan' }, module: 'integration' }, (u) =>
            u.query(`insert into integration.replan_pending (reason, full_reschedule) values ($1, true)`, [`daily reschedule at ${at}`]),
          );
          await this.replan();
        })
        .catch((err) => this.deps.log.error({ err }, 'the daily reschedule could not run'));
      this.armDaily();
    }, when - now).unref();
  }

  /** Scrap that leaves an open work order short: its later operations have less to do. */
  private async progress(uow: UnitOfWork, p: { workOrderId: string; scrapQty: number; event: string }): Promise<void> {
    if (p.event === 'completed' || p.event === 'cancelled') {
      await uow.query(`delete from integration.replan_scrap where work_order = $1`, [p.workOrderId]);
      return;
    }
    if (!(p.scrapQty > 0)) return;
    const more = await uow.query(
      `insert into integration.replan_scrap (work_order, scrap) values ($1, $2)
         on conflict (work_order) do update set scrap = excluded.scrap where replan_scrap.scrap < excluded.scrap
       returning work_order`,
      [p.workOrderId, p.scrapQty],
    );
    if (more.length) await this.trigger(uow, `${p.workOrderId} short by ${p.scrapQty} scrapped`, { ...emptyScope(), workOrders: [p.workOrderId] });
  }

  private async equipment(uow: UnitOfWork, e: { workCenter: string; state: string; at: string }): Promise<void> {
    const wc = e.workCenter;
    if (e.state === 'down') {
      const since = new Date(e.at);
      // a centre already down stays down since its first report
      const fresh = await uow.query(`insert into integration.replan_centres (work_center, down_since) values ($1, $2) on conflict do nothing returning work_center`, [wc, since]);
      if (fresh.length) uow.afterCommit(() => this.armDown(wc, since));
      return;
    }
    // running or idle: the breakdown is over
    const [was] = await uow.query<{ planned_around: boolean; pushed_back: string[] }>(
      `delete from integration.replan_centres where work_center = $1 returning planned_around, pushed_back`,
      [wc],
    );
    uow.afterCommit(() => this.disarmDown(wc));
    if (was?.planned_around) await this.trigger(uow, `${wc} back up`, { ...emptyScope(), operations: was.pushed_back });
  }

  /** The threshold wait of a centre heard down: still down when it ends, the breakdown is planned around. */
  private armDown(wc: string, since: Date): void {
    if (this.stopped) return;
    this.disarmDown(wc);
    const wait = Math.max(0, this.deps.config.replanDownThresholdMs - (this.deps.clock.now().getTime() - since.getTime()));
    const timer = setTimeout(() => {
      this.downTimers.delete(wc);
      this.running = this.running.then(() => this.planAround(wc, since));
    }, wait).unref();
    this.downTimers.set(wc, timer);
  }

  private disarmDown(wc: string): void {
    const timer = this.downTimers.get(wc);
    if (timer) clearTimeout(timer);
    this.downTimers.delete(wc);
  }

  private async planAround(wc: string, since: Date): Promise<void> {
    await this.deps.db
      .unitOfWork({ actor: { ...systemActor, id: 'planning:replan' }, module: 'integration' }, async (uow) => {
        const still = await uow.query(
          `update integration.replan_centres set planned_around = true where work_center = $1 and down_since = $2 and not planned_around returning work_center`,
          [wc, since],
        );
        if (still.length) await this.trigger(uow, `${wc} down since ${since.toISOString()}`, emptyScope());
      })
      .catch((err) => this.deps.log.error({ err, workCenter: wc }, 'could not plan around a breakdown'));
  }

  /** Remembers a trigger with the unit of work that heard it; the replan waits until triggers settle. */
  private async trigger(uow: UnitOfWork, reason: string, scope: ReplanScope): Promise<void> {
    await uow.query(`insert into integration.replan_pending (reason, operations, sales_orders, work_orders) values ($1, $2, $3, $4)`, [
      reason,
      scope.operations,
      scope.salesOrders,
      scope.workOrders,
    ]);
    uow.afterCommit(() => this.armDebounce());
  }

  private armDebounce(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.running.then(() => this.replan()).catch((err) => this.deps.log.error({ err }, 'replan could not run; its triggers stay for the next one'));
    }, this.deps.config.replanDebounceMs).unref();
  }

  /** Stops pending timers and waits for a replan under way (app shutdown); what is pending stays for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.daily) clearTimeout(this.daily);
    this.daily = null;
    for (const t of this.downTimers.values()) clearTimeout(t);
    this.downTimers.clear();
    this.timer = null;
    await this.running;
  }

  private async replan(): Promise<void> {
    const { config, clock, db } = this.deps;
    const pending = await db.query<{ id: string; reason: string; operations: string[]; sales_orders: string[]; work_orders: string[]; full_reschedule: boolean }>(
      `select id::text, reason, operations, sales_orders, work_orders, full_reschedule from integration.replan_pending order by id`,
    );
    if (!pending.length || this.stopped) return;
    const reasons = pending.map((p) => p.reason);
    // the daily reschedule frees all pending work (it answers the events heard with it too)
    const full = pending.some((p) => p.full_reschedule);
    const scope: ReplanScope | undefined = full ? undefined : {
      operations: pending.flatMap((p) => p.operations),
      salesOrders: pending.flatMap((p) => p.sales_orders),
      workOrders: pending.flatMap((p) => p.work_orders),
    };
    const now = clock.now();
    const around = await db.query<{ work_center: string; down_since: Date }>(`select work_center, down_since from integration.replan_centres where planned_around order by work_center`);
    const down = around.map((d) => ({ workCenter: d.work_center, from: new Date(d.down_since), until: new Date(now.getTime() + config.replanAssumedDownHours * 3_600_000) }));
    const limitSeconds = full ? config.rescheduleSeconds : config.replanTimeLimitSeconds;
    const record: ReplanRecord = { at: now.toISOString(), reasons, status: 'done', moved: [], lateWorkOrders: [] };
    try {
      const result = await reschedule(db, { ...systemActor, id: 'planning:replan' }, clock, scheduleGate(db), {
        objective: 'tardiness',
        timeLimitSeconds: limitSeconds,
        frozenHours: config.replanFrozenHours,
        seed: 1,
        utcOffsetMinutes: config.plantUtcOffsetMinutes,
        down,
        waitForTurn: true,
        scope,
        // the solver has its limit; reading and writing get a margin, past which the run is stopped
        overrunAfterMs: limitSeconds * 1000 + OVERRUN_MARGIN_MS,
      });
      record.moved = 'moved' in result ? result.moved : [];
      record.lateWorkOrders = result.lateWorkOrders;
      if ('timings' in result) record.timings = result.timings;
    } catch (e) {
      record.status = 'failed';
      record.error = e instanceof Error ? e.message : String(e);
      this.deps.log.warn({ err: e, reasons }, 'replan failed; the last committed plan stays');
    }
    // the triggers are answered (a failure by its alert): forget them, remember what moved while centres were down
    await db
      .unitOfWork({ actor: { ...systemActor, id: 'planning:replan' }, module: 'integration' }, async (u) => {
        await u.query(`delete from integration.replan_pending where id = any($1::bigint[])`, [pending.map((p) => p.id)]);
        const moved = record.moved.map((m) => m.id);
        if (moved.length && down.length)
          await u.query(
            `update integration.replan_centres set pushed_back = array(select distinct unnest(pushed_back || $2::text[]))
               where work_center = any($1::text[]) and planned_around`,
            [down.map((d) => d.workCenter), moved],
          );
        await u.query(
          `insert into integration.replans (at, reasons, status, moved, late_work_orders, timings, error) values ($1, $2, $3, $4, $5, $6, $7)`,
          [record.at, reasons, record.status, JSON.stringify(record.moved), record.lateWorkOrders, record.timings ? JSON.stringify(record.timings) : null, record.error ?? null],
        );
        await u.query(`delete from integration.replans where id <= (select max(id) from integration.replans) - $1`, [HISTORY_KEPT]);
        if (record.status === 'failed')
          await raiseAlert(u, {
            kind: 'integration_failure',
            severity: 'warning',
            ref: `replan ${record.at}`,
            message: `replanning (${reasons.join('; ')}) failed: ${record.error}; the last committed plan stays`,
          });
      })
      .catch((err) => this.deps.log.error({ err, reasons }, 'could not record the replan'));
  }
}

const emptyScope = (): ReplanScope => ({ operations: [], salesOrders: [], workOrders: [] });

const replanners = new WeakMap<Database, Replanner>();
/** The application's replanner (one per database, like the schedule gate). */
export function replannerOf(deps: ModuleDeps): Replanner {
  return replanners.get(deps.db) ?? replanners.set(deps.db, new Replanner(deps)).get(deps.db)!;
}

/** Stops the application's replanner; the next start on the database makes a new one that resumes from its rows. */
export async function stopReplanner(db: Database): Promise<void> {
  await replanners.get(db)?.stop();
  replanners.delete(db);
}
