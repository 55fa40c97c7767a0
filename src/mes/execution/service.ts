import type { ModuleDeps, UnitOfWork } from '../../platform/index.ts';
import { add, conflict, mul, num, q, unprocessable } from '../../platform/index.ts';
import { assertOperationMove, assertWorkOrderMove } from '../work-orders/model.ts';
import { completeWorkOrder } from './complete.ts';
import { emitPerformance, NOTHING_BOOKED, type Booked } from './performance.ts';
import { lockOperation, passedInspection, type WorkOrderJson, type WorkOrderRead } from './store.ts';
import type { WorkOrderRow } from '../work-orders/store.ts';

type Deps = Pick<ModuleDeps, 'clock' | 'config'>;

async function startWorkOrderIfReleased(uow: UnitOfWork, wo: WorkOrderRead, at: Date): Promise<WorkOrderRead> {
  if (wo.status === 'in_progress') return wo;
  assertWorkOrderMove(wo.id, wo.status, 'in_progress');
  const [after] = await uow.query<WorkOrderRow>(`update mes.work_orders set status = 'in_progress', started_at = $2 where id = $1 returning *`, [wo.id, at]);
  uow.audit({ action: 'start', entity: 'work_order', ref: wo.id, before: { status: wo.status }, after: { status: 'in_progress' } });
  return after;
}

/**
 * Starts an operation, or adds an operator to a running one (several operators work on one
 * operation; machine time is booked per report, never per operator). A previous operation that
 * requires an inspection must have passed one first.
 */
export async function startOperation(uow: UnitOfWork, deps: Deps, id: string, operator?: string) {
  const at = deps.clock.now();
  const { op, wo, prev } = await lockOperation(uow, id, uow.actor);
  const who = operator ?? null;
  if (op.status === 'running' && who) {
    const joined = await uow.query<{ operator: string }>(
      'insert into mes.operation_operators (operation_id, operator, joined_at) values ($1, $2, $3) on conflict do nothing returning operator',
      [id, who, at],
    );
    if (!joined.length) throw conflict(`operator ${who} already works on operation ${id}`, { operation: id, operator: who });
    uow.audit({ action: 'join', entity: 'operation', ref: id, after: { operator: who } });
    emitPerformance(uow, wo, 'started', id, NOTHING_BOOKED, at);
    return { id, status: 'running', operators: await operatorsOf(uow, id) };
  }
  if (op.status !== 'pending') assertOperationMove(id, op.status, op.status === 'paused' ? 'paused' : 'running');
  if (!['released', 'in_progress'].includes(wo.status))
    throw conflict(`work order ${wo.id} is ${wo.status}`, { workOrder: wo.id, status: wo.status, reason: 'illegal_transition' });
  if (prev?.inspection_required && !(await passedInspection(uow, wo.id, prev.id)))
    throw conflict(`operation ${prev.id} needs a passed inspection before ${id} starts`, { operation: prev.id, reason: 'inspection_required' });
  assertOperationMove(id, 'pending', 'running');
  await uow.query(`update mes.operations set status = 'running', started_at = coalesce(started_at, $2) where id = $1`, [id, at]);
  if (who) await uow.query('insert into mes.operation_operators (operation_id, operator, joined_at) values ($1, $2, $3) on conflict do nothing', [id, who, at]);
  const woAfter = await startWorkOrderIfReleased(uow, wo, at);
  uow.audit({ action: 'start', entity: 'operation', ref: id, before: { status: op.status }, after: { status: 'running', operator: who } });
  emitPerformance(uow, woAfter, 'started', id, NOTHING_BOOKED, at);
  return { id, status: 'running', operators: await operatorsOf(uow, id) };
}

const operatorsOf = async (uow: UnitOfWork, id: string) =>
  (await uow.query<{ operator: string }>('select operator from mes.operation_operators where operation_id = $1 order by joined_at', [id])).map((r) => r.operator);

/** Pause (running → paused) or resume (paused → running). A paused operation shows as running with `paused: true`. */
export async function moveOperation(uow: UnitOfWork, id: string, to: 'paused' | 'running') {
  const { op } = await lockOperation(uow, id, uow.actor);
  // resume is the paused → running move only (pending → running is a start)
  if (to === 'running' && op.status !== 'paused')
    throw conflict(`operation ${id} cannot resume from ${op.status}`, { operation: id, from: op.status, to, reason: 'illegal_transition' });
  assertOperationMove(id, op.status, to);
  await uow.query('update mes.operations set status = $2 where id = $1', [id, to]);
  uow.audit({ action: to === 'paused' ? 'pause' : 'resume', entity: 'operation', ref: id, before: { status: op.status }, after: { status: to } });
  return { id, status: 'running', paused: to === 'paused' };
}

export interface ReportInput {
  goodQty: number;
  scrapQty?: number;
  scrapReason?: string;
  laborMinutes?: number;
  machineMinutes?: number;
  energyKwh?: number;
  complete?: boolean;
  operator?: string;
}

/**
 * A production report: good and scrap pieces, time and energy booked with the rates in force
 * (copied onto the report row). Machine minutes default to the standard time of the pieces
 * reported, labour minutes to the machine minutes. An operation never passes more good pieces than
 * the previous one passed (the first: than the work order's quantity). `complete` ends the
 * operation; ending the last one completes the work order and produces its output lot.
 */
export async function reportOperation(uow: UnitOfWork, deps: Deps, id: string, input: ReportInput) {
  const at = deps.clock.now();
  const { op, wo, prev } = await lockOperation(uow, id, uow.actor);
  if (op.status !== 'running')
    throw conflict(`operation ${id} is ${op.status === 'paused' ? 'paused' : op.status}: only a running operation takes reports`, {
      operation: id,
      status: op.status,
      reason: 'illegal_transition',
    });
  const good = q(input.goodQty);
  const scrap = q(input.scrapQty ?? 0);
  if (good < 0 || scrap < 0) throw unprocessable('quantities cannot be negative', { goodQty: good, scrapQty: scrap });
  const goodSoFar = num(op.good_qty);
  if (prev) {
    const passed = num(prev.good_qty);
    const total = add(goodSoFar, num(op.scrap_qty), good, scrap);
    if (total > passed)
      throw conflict(`operation ${id} would process ${total} pieces but the previous operation ${prev.id} passed only ${passed}`, {
        reason: 'over_reporting', operation: id, previousOperation: prev.id, passed, reported: total,
      });
  } else if (add(goodSoFar, good) > num(wo.qty)) {
    throw conflict(`operation ${id} would pass ${add(goodSoFar, good)} good pieces for a work order of ${num(wo.qty)}`, {
      reason: 'over_reporting', operation: id, allowed: num(wo.qty), reported: add(goodSoFar, good),
    });
  }
  const machineMinutes = q(input.machineMinutes ?? mul(num(op.minutes_per_unit), add(good, scrap)));
  const laborMinutes = q(input.laborMinutes ?? machineMinutes);
  const energyKwh = q(input.energyKwh ?? 0);
  const rates = { labor: num(op.labor_cost_per_hour), machine: num(op.cost_per_hour), energy: num(op.energy_cost_per_kwh) };
  const booked: Booked = {
    laborMinutes,
    machineMinutes,
    energyKwh,
    laborCost: q((laborMinutes * rates.labor) / 60),
    machineCost: q((machineMinutes * rates.machine) / 60),
    energyCost: mul(energyKwh, rates.energy),
  };
  const status = input.complete ? 'done' : 'running';
  if (input.complete) assertOperationMove(id, 'running', 'done');
  const isLast = Number(op.last_seq) === op.seq;
  // one statement: the report row (rates copied), the operation's and the work order's quantities
  const [written] = await uow.query<{ report_id: number; wo: WorkOrderJson; op: string }>(
    `with r as (
       insert into mes.reports (operation_id, work_order_id, work_center, item_code, operator, good_qty, scrap_qty, scrap_reason,
          labor_minutes, machine_minutes, energy_kwh, labor_rate, machine_rate, energy_rate, labor_cost, machine_cost, energy_cost, at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) returning id),
     o as (
       update mes.operations set good_qty = good_qty + $6, scrap_qty = scrap_qty + $7, status = $19,
              ended_at = case when $19 = 'done' then $18::timestamptz else ended_at end
        where id = $1 returning id),
     w as (
       update mes.work_orders set good_qty = case when $20 then good_qty + $6 else good_qty end, scrap_qty = scrap_qty + $7
        where id = $2 returning to_jsonb(mes.work_orders.*) as wo)
     select (select id from r) as report_id, (select wo from w) as wo, (select id from o) as op`,
    [id, wo.id, op.work_center, wo.item_code, input.operator ?? uow.actor.id, good, scrap, input.scrapReason ?? null, laborMinutes, machineMinutes,
      energyKwh, rates.labor, rates.machine, rates.energy, booked.laborCost, booked.machineCost, booked.energyCost, at, status, isLast],
  );
  const report = { id: written.report_id };
  let woAfter: WorkOrderRead = written.wo;
  uow.audit({ action: 'report', entity: 'operation', ref: id, after: { reportId: Number(report.id), goodQty: good, scrapQty: scrap, ...booked, status } });
  let outputLot: { lot: string; qty: number; status: string } | null = null;
  if (input.complete && isLast) {
    const open = await uow.query<{ id: string }>(`select id from mes.operations where work_order_id = $1 and id <> $2 and status not in ('done', 'cancelled')`, [wo.id, id]);
    {
      if (open.length) throw conflict(`operations ${open.map((o) => o.id).join(', ')} of ${wo.id} are not done`, { reason: 'operations_open', operations: open.map((o) => o.id) });
      ({ workOrder: woAfter, lot: outputLot } = await completeWorkOrder(uow, deps, woAfter, at));
    }
  }
  emitPerformance(uow, woAfter, woAfter.status === 'completed' ? 'completed' : 'reported', id, booked, at);
  return {
    reportId: Number(report.id),
    operation: { id, status, goodQty: add(goodSoFar, good), scrapQty: add(num(op.scrap_qty), scrap) },
    workOrder: { id: wo.id, status: woAfter.status, goodQty: num(woAfter.good_qty), scrapQty: num(woAfter.scrap_qty) },
    booked,
    outputLots: outputLot ? [outputLot] : [],
  };
}
