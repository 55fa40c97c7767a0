import type { Actor, Queryable } from '../../platform/index.ts';
import { notFound } from '../../platform/index.ts';
import { assertInScope } from '../access/scope.ts';

/** An operation and its work order, both locked, checked against the actor's scope. */
export async function lockOperation(uow: Queryable, id: string, actor: Actor) {
  const [op] = await uow.query('select * from mes.operations where id = $1 for update', [id]);
  if (!op) throw notFound('operation', id);
  const [wo] = await uow.query('select * from mes.work_orders where id = $1 for update', [op.work_order_id]);
  assertInScope(actor, op.work_center, wo.plant, `operation ${id}`);
  return { op, wo };
}

/** The operation before this one in the routing (cancelled ones skipped). */
export async function previousOperation(q: Queryable, workOrderId: string, seq: number) {
  const [prev] = await q.query(
    `select * from mes.operations where work_order_id = $1 and seq < $2 and status <> 'cancelled' order by seq desc limit 1`,
    [workOrderId, seq],
  );
  return prev ?? null;
}

export async function passedInspection(q: Queryable, workOrderId: string, operationId: string | null) {
  const rows = await q.query(
    `select 1 from mes.inspections where work_order_id = $1 and result = 'pass' and ($2::text is null or operation_id is null or operation_id = $2) limit 1`,
    [workOrderId, operationId],
  );
  return rows.length > 0;
}

/** Cumulative good (at the last operation) and scrap (all operations) of a work order, written back. */
export async function refreshWorkOrderQty(uow: Queryable, workOrderId: string) {
  const [wo] = await uow.query(
    `update mes.work_orders w set
        good_qty = coalesce((select o.good_qty from mes.operations o where o.work_order_id = w.id and o.status <> 'cancelled' order by o.seq desc limit 1), 0),
        scrap_qty = coalesce((select sum(o.scrap_qty) from mes.operations o where o.work_order_id = w.id), 0)
      where id = $1 returning *`,
    [workOrderId],
  );
  return wo;
}
