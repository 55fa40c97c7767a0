import type { Queryable, UnitOfWork } from '../../platform/index.ts';
import { notFound, num, unprocessable } from '../../platform/index.ts';
import { planWorkOrders, type PlanOptions } from '../work-orders/plan.ts';

export interface RoutingOperation {
  seq: number;
  name: string;
  workCenter: string;
  setupMinutes: number;
  minutesPerUnit: number;
  inspectionRequired?: boolean;
}

const view = (r: any) => ({
  seq: r.seq,
  name: r.name,
  workCenter: r.work_center,
  setupMinutes: num(r.setup_minutes),
  minutesPerUnit: num(r.minutes_per_unit),
  inspectionRequired: r.inspection_required,
});

export async function getRouting(q: Queryable, itemCode: string) {
  const rows = await q.query('select * from mes.routing_operations where item_code = $1 order by seq', [itemCode]);
  if (!rows.length) throw notFound('routing', itemCode);
  return { itemCode, operations: rows.map(view) };
}

/**
 * Replaces an item's routing. Existing work orders keep their copied operations, except released
 * work orders that were made without any (no routing then): they get the new operations, planned.
 */
export async function putRouting(uow: UnitOfWork, itemCode: string, operations: RoutingOperation[], plan: PlanOptions) {
  const seqs = operations.map((o) => o.seq);
  if (new Set(seqs).size !== seqs.length) throw unprocessable('operation sequence numbers must be unique', { seqs });
  const centres = [...new Set(operations.map((o) => o.workCenter))];
  const known = await uow.query('select code from mes.work_centers where code = any($1::text[])', [centres]);
  const unknown = centres.filter((c) => !known.some((k) => k.code === c));
  if (unknown.length) throw unprocessable(`unknown work centre ${unknown.join(', ')}`, { workCenters: unknown });
  const before = await uow.query('select * from mes.routing_operations where item_code = $1 order by seq', [itemCode]);
  await uow.query('delete from mes.routing_operations where item_code = $1', [itemCode]);
  await uow.query(
    `insert into mes.routing_operations (item_code, seq, name, work_center, setup_minutes, minutes_per_unit, inspection_required)
     select $1, * from unnest($2::int[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::boolean[])`,
    [itemCode, seqs, operations.map((o) => o.name), operations.map((o) => o.workCenter), operations.map((o) => o.setupMinutes),
      operations.map((o) => o.minutesPerUnit), operations.map((o) => o.inspectionRequired ?? false)],
  );
  const bare = await uow.query(
    `select id from mes.work_orders w where item_code = $1 and status = 'released'
        and not exists (select 1 from mes.operations o where o.work_order_id = w.id)`,
    [itemCode],
  );
  if (bare.length && operations.length) {
    await uow.query(
      `insert into mes.operations (id, work_order_id, seq, name, work_center, setup_minutes, minutes_per_unit, inspection_required, status)
       select 'OP-' || lpad(nextval('mes.operation_seq')::text, 7, '0'), w.id, r.seq, r.name, r.work_center, r.setup_minutes,
              r.minutes_per_unit, r.inspection_required, 'pending'
         from unnest($1::text[]) as w(id) cross join mes.routing_operations r where r.item_code = $2 order by w.id, r.seq`,
      [bare.map((b) => b.id), itemCode],
    );
    await planWorkOrders(uow, bare.map((b) => b.id), plan);
  }
  const after = { itemCode, operations: operations.map((o) => ({ ...o, inspectionRequired: o.inspectionRequired ?? false })) };
  uow.audit({ action: before.length ? 'update' : 'create', entity: 'routing', ref: itemCode, before: before.length ? { operations: before.map(view) } : null, after });
  return { ...after, workOrdersFilled: bare.map((b) => b.id) };
}

/** An item's routing operations in sequence ([] when it has none). */
export async function routingOperations(q: Queryable, itemCode: string): Promise<Required<RoutingOperation>[]> {
  const rows = await q.query('select * from mes.routing_operations where item_code = $1 order by seq', [itemCode]);
  return rows.map(view);
}
