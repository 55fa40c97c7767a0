import type { ModuleDeps, Queryable, UnitOfWork } from '../../platform/index.ts';
import { num, raiseAlert, unprocessable } from '../../platform/index.ts';
import { assertInScope } from '../../platform/index.ts';
import type { WorkCenterRow } from '../resources/store.ts';
import { oee, stateMinutes, type EquipmentState, type OeeFacts } from './model.ts';
import type { EquipmentEventRow } from './store.ts';

export interface EquipmentEventInput {
  workCenter: string;
  state: EquipmentState;
  reason?: string;
  at?: string;
}

/** A state change of a work centre (REST or MQTT); `down` raises an `equipment_down` alert for the supervisor. */
export async function recordEquipmentEvent(uow: UnitOfWork, deps: Pick<ModuleDeps, 'clock'>, input: EquipmentEventInput) {
  const [wc] = await uow.query<Pick<WorkCenterRow, 'code' | 'plant'>>('select code, plant from mes.work_centers where code = $1', [input.workCenter]);
  if (!wc) throw unprocessable(`work centre ${input.workCenter} is unknown`, { workCenter: input.workCenter });
  assertInScope(uow.actor, { workCenter: wc.code, plant: wc.plant }, `work centre ${wc.code}`);
  const at = input.at ? new Date(input.at) : deps.clock.now();
  const [row] = await uow.query<Pick<EquipmentEventRow, 'id'>>(
    'insert into mes.equipment_events (work_center, state, reason, at, recorded_by) values ($1, $2, $3, $4, $5) returning id',
    [wc.code, input.state, input.reason ?? null, at, `${uow.actor.kind}:${uow.actor.id}`],
  );
  uow.audit({ action: 'state', entity: 'work_center', ref: wc.code, after: { state: input.state, reason: input.reason ?? null, at: at.toISOString() } });
  uow.emit('mes.equipment.state-changed', { workCenter: wc.code, plant: wc.plant, state: input.state, reason: input.reason ?? null, at: at.toISOString() }, { correlationId: null });
  let alert: number | null = null;
  if (input.state === 'down')
    alert = await raiseAlert(uow, {
      kind: 'equipment_down',
      severity: 'critical',
      ref: wc.code,
      plant: wc.plant,
      message: `work centre ${wc.code} is down${input.reason ? `: ${input.reason}` : ''}`,
      ...(input.reason
        ? { messageKey: 'alert.equipment_down_reason', params: { workCenter: wc.code, reason: input.reason } }
        : { messageKey: 'alert.equipment_down', params: { workCenter: wc.code } }),
    });
  return { id: Number(row.id), workCenter: wc.code, state: input.state, reason: input.reason ?? null, at: at.toISOString(), alert };
}

/** The facts of OEE of one work centre (or all, `null`) in [from, to). */
export async function oeeFacts(q: Queryable, workCenter: string | null, from: Date, to: Date, plant?: string | null): Promise<OeeFacts> {
  const events = await q.query<Pick<EquipmentEventRow, 'work_center' | 'state' | 'at'>>(
    `select e.work_center, e.state, e.at from mes.equipment_events e join mes.work_centers wc on wc.code = e.work_center
      where ($1::text is null or e.work_center = $1) and ($4::text is null or wc.plant = $4) and e.at < $3
        and e.at >= coalesce((select max(p.at) from mes.equipment_events p where p.work_center = e.work_center and p.at <= $2), $2)
      order by e.work_center, e.at`,
    [workCenter, from, to, plant ?? null],
  );
  const facts: OeeFacts = { runningMinutes: 0, downMinutes: 0, idealMinutes: 0, goodQty: 0, scrapQty: 0 };
  const byCentre = new Map<string, { state: EquipmentState; at: Date }[]>();
  for (const e of events) (byCentre.get(e.work_center) ?? byCentre.set(e.work_center, []).get(e.work_center)!).push({ state: e.state, at: new Date(e.at) });
  for (const list of byCentre.values()) {
    const m = stateMinutes(list, from, to);
    facts.runningMinutes += m.running;
    facts.downMinutes += m.down;
  }
  const [p] = await q.query<{ ideal: string; good: string; scrap: string }>(
    `select coalesce(sum(o.minutes_per_unit * (r.good_qty + r.scrap_qty)), 0) as ideal, coalesce(sum(r.good_qty), 0) as good, coalesce(sum(r.scrap_qty), 0) as scrap
       from mes.reports r join mes.operations o on o.id = r.operation_id join mes.work_centers wc on wc.code = r.work_center
      where ($1::text is null or r.work_center = $1) and ($4::text is null or wc.plant = $4) and r.at >= $2 and r.at < $3`,
    [workCenter, from, to, plant ?? null],
  );
  facts.idealMinutes = num(p.ideal);
  facts.goodQty = num(p.good);
  facts.scrapQty = num(p.scrap);
  return facts;
}

export async function workCenterOee(q: Queryable, deps: Pick<ModuleDeps, 'clock'>, code: string, window: { from?: string; to?: string }) {
  const to = window.to ? new Date(window.to) : deps.clock.now();
  const from = window.from ? new Date(window.from) : new Date(to.getTime() - 86_400_000);
  if (!(from < to)) throw unprocessable('from must be before to', { from: window.from, to: window.to });
  const facts = await oeeFacts(q, code, from, to);
  return { workCenter: code, from: from.toISOString(), to: to.toISOString(), ...oee(facts), facts };
}

/** Equipment events, newest first, limited to the work centres and plants of the caller's scope. */
export async function listEquipmentEvents(q: Queryable, f: { workCenter?: string; from?: string; to?: string; workCenters?: string[] | null; plants?: string[] | null }) {
  const rows = await q.query<EquipmentEventRow>(
    `select e.* from mes.equipment_events e join mes.work_centers wc on wc.code = e.work_center
      where ($1::text is null or e.work_center = $1) and ($2::timestamptz is null or e.at >= $2) and ($3::timestamptz is null or e.at < $3)
        and ($4::text[] is null or e.work_center = any($4)) and ($5::text[] is null or wc.plant = any($5))
      order by e.at desc, e.id desc limit 1000`,
    [f.workCenter ?? null, f.from ?? null, f.to ?? null, f.workCenters ?? null, f.plants ?? null],
  );
  return rows.map((r) => ({ id: Number(r.id), workCenter: r.work_center, state: r.state, reason: r.reason, at: new Date(r.at).toISOString(), recordedBy: r.recorded_by }));
}
