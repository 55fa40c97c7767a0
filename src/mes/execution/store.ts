import type { Actor, Queryable } from '../../platform/index.ts';
import { notFound } from '../../platform/index.ts';
import { assertInScope } from '../../platform/index.ts';
import type { OperationRow, WorkOrderRow } from '../work-orders/store.ts';

/** A row of mes.reports (a production report, with the rates in force copied onto it). */
export interface ReportRow {
  id: number;
  operation_id: string;
  work_order_id: string;
  work_center: string;
  item_code: string;
  operator: string | null;
  good_qty: string;
  scrap_qty: string;
  scrap_reason: string | null;
  labor_minutes: string;
  machine_minutes: string;
  energy_kwh: string;
  labor_rate: string;
  machine_rate: string;
  energy_rate: string;
  labor_cost: string;
  machine_cost: string;
  energy_cost: string;
  at: Date;
}

/** A row as `to_jsonb(t.*)` gives it: numeric columns as JSON numbers, instants and days as ISO text. */
export type Jsonb<R, Numeric extends keyof R> = {
  [K in keyof R]: K extends Numeric ? number | Extract<R[K], null> : Date extends R[K] ? string | Extract<R[K], null> : R[K];
};
export type WorkOrderJson = Jsonb<WorkOrderRow, 'qty' | 'qty_per_parent' | 'good_qty' | 'scrap_qty'>;
type OperationJson = Jsonb<OperationRow, 'setup_minutes' | 'minutes_per_unit' | 'good_qty' | 'scrap_qty'>;
/** A work order as execution reads it: its row, or the row through `to_jsonb`. */
export type WorkOrderRead = WorkOrderRow | WorkOrderJson;

/** An operation locked for a report, with its work order, the operation before it and the centre's rates. */
interface LockedOperationRow extends OperationRow {
  wo: WorkOrderJson;
  prev: OperationJson | null;
  last_seq: number | null;
  cost_per_hour: string | null;
  labor_cost_per_hour: string | null;
  energy_cost_per_kwh: string | null;
}

/**
 * An operation and its work order, both locked, checked against the actor's scope, in one round
 * trip with what a report needs: the previous operation, the centre's rates in force and whether
 * this is the last operation.
 */
export async function lockOperation(uow: Queryable, id: string, actor: Actor) {
  const [row] = await uow.query<LockedOperationRow>(
    `select o.*, to_jsonb(w.*) as wo,
            (select to_jsonb(p.*) from mes.operations p where p.work_order_id = o.work_order_id and p.seq < o.seq and p.status <> 'cancelled'
              order by p.seq desc limit 1) as prev,
            (select max(l.seq) from mes.operations l where l.work_order_id = o.work_order_id and l.status <> 'cancelled') as last_seq,
            wc.cost_per_hour, wc.labor_cost_per_hour, wc.energy_cost_per_kwh
       from mes.operations o join mes.work_orders w on w.id = o.work_order_id left join mes.work_centers wc on wc.code = o.work_center
      where o.id = $1 for update of o, w`,
    [id],
  );
  if (!row) throw notFound('operation', id);
  const { wo, prev, ...op } = row;
  assertInScope(actor, { workCenter: op.work_center, plant: wo.plant }, `operation ${id}`);
  return { op, wo, prev: prev ?? null };
}

export async function passedInspection(q: Queryable, workOrderId: string, operationId: string | null) {
  const rows = await q.query(
    `select 1 from mes.inspections where work_order_id = $1 and result = 'pass' and ($2::text is null or operation_id is null or operation_id = $2) limit 1`,
    [workOrderId, operationId],
  );
  return rows.length > 0;
}
