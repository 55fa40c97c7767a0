/**
 * The MES side of requests from outside systems (an outside ERP's production orders, their
 * changes and cancellations, an outside MES's reports): a request is known by
 * (system, externalRef), the reference sitting on the top work order of its tree. The rules are
 * the ones of a sales order's: the same creation, the same change rules, the same cancellation.
 */
import type { UnitOfWork } from '../../platform/index.ts';
import { conflict, num } from '../../platform/index.ts';
import { cancelWorkOrders, changeWorkOrderTree, type TreeChange } from './change.ts';
import { createWorkOrders } from './create.ts';
import type { PlanOptions } from './plan.ts';
import type { WorkOrderRow } from './store.ts';

export interface ExternalRequest {
  externalRef: string;
  /** The outside system that sent it; refs are unique per system. */
  externalSystem?: string | null;
  itemCode: string;
  qty: number;
  dueDate?: string | null;
  bomVersion?: number | null;
  priority?: number;
}

export interface ExternalWorkOrder {
  id: string;
  itemCode: string;
  qty: number;
  parentWorkOrder: string | null;
  top: boolean;
}

interface KnownTop {
  id: string;
  external_ref: string;
  item_code: string;
  qty: string;
}

/**
 * Serialises requests for the same (system, externalRef) across transactions: a second, concurrent
 * request waits for the first to commit and then finds its work orders (READ COMMITTED). The unique
 * index `work_orders_external_top` is the last wall behind it.
 */
async function lockRefs(uow: UnitOfWork, system: string | null, refs: string[]) {
  if (!refs.length) return;
  await uow.query(
    `select pg_advisory_xact_lock(hashtextextended('mes.external/' || coalesce($1::text, '') || '/' || r, 0))
       from unnest($2::text[]) as r order by r`,
    [system, [...refs].sort()],
  );
}

/**
 * Work orders for production requests of an outside ERP: one tree per request, the top work order
 * carrying `externalRef`. A request whose (system, externalRef) already has a work order is not
 * made twice, even when two arrive at once: its existing work orders are returned.
 */
export async function createExternalWorkOrders(uow: UnitOfWork, requests: ExternalRequest[], plan: PlanOptions = {}) {
  const refs = requests.map((r) => r.externalRef);
  if (new Set(refs).size !== refs.length) throw conflict('an externalRef appears twice in one request', { externalRefs: refs });
  const system = requests[0]?.externalSystem ?? null;
  if (requests.some((r) => (r.externalSystem ?? null) !== system)) throw conflict('one request comes from one system');
  await lockRefs(uow, system, refs);
  const known = await uow.query<KnownTop>(
    'select id, external_ref, item_code, qty from mes.work_orders where external_ref = any($1::text[]) and external_system is not distinct from $2 and top',
    [refs, system],
  );
  const knownRefs = new Set(known.map((k) => k.external_ref));
  const fresh = requests.filter((r) => !knownRefs.has(r.externalRef));
  const created = await createWorkOrders(uow, fresh.map((r) => ({ ...r, salesOrder: null, lineNo: null })), plan);
  return requests.map((r) => {
    const k = known.find((x) => x.external_ref === r.externalRef);
    if (k) {
      const workOrders: ExternalWorkOrder[] = [{ id: k.id, itemCode: k.item_code, qty: num(k.qty), parentWorkOrder: null, top: true }];
      return { externalRef: r.externalRef, created: false, workOrders };
    }
    const i = fresh.indexOf(r);
    const workOrders: ExternalWorkOrder[] = created
      .filter((c) => c.request === i)
      .map((w) => ({ id: w.id, itemCode: w.itemCode, qty: w.qty, parentWorkOrder: w.parentWorkOrder, top: w.top }));
    return { externalRef: r.externalRef, created: true, workOrders };
  });
}

/** The work orders of a request's tree (the top one and every level under it), locked, by level. */
async function externalTree(uow: UnitOfWork, system: string | null, externalRef: string, withCancelled: boolean) {
  const ids = await uow.query<{ id: string }>(
    `with recursive tree as (
       select id from mes.work_orders where external_ref = $2 and external_system is not distinct from $1 and top
       union all
       select c.id from mes.work_orders c join tree t on c.parent_work_order = t.id)
     select id from tree`,
    [system, externalRef],
  );
  if (!ids.length) return [];
  return uow.query<WorkOrderRow>(
    `select * from mes.work_orders where id = any($1::text[]) and ($2 or status <> 'cancelled') order by level, id for update`,
    [ids.map((r) => r.id), withCancelled],
  );
}

export interface ExternalAnswer {
  externalRef: string;
  accepted: boolean;
  reason: string;
  workOrders: { id: string; itemCode: string; qty: number; newQty: number; goodQty: number; status: string }[];
}

/** A quantity/date change of an outside request's tree, by the same rules as a sales order line's. */
export async function changeExternalOrder(
  uow: UnitOfWork,
  system: string | null,
  c: TreeChange & { externalRef: string },
  plan: PlanOptions = {},
): Promise<ExternalAnswer> {
  const wos = await externalTree(uow, system, c.externalRef, false);
  const label = `externalRef ${c.externalRef}`;
  const answer = await changeWorkOrderTree(uow, wos, { salesOrder: null, lineNo: null, externalSystem: system, label }, c, plan);
  return { externalRef: c.externalRef, ...answer };
}

/** Cancels what is not completed of an outside request's tree (what a cancelled sales order does). */
export async function cancelExternalOrder(uow: UnitOfWork, system: string | null, externalRef: string, at: Date, reason?: string): Promise<ExternalAnswer> {
  const wos = await externalTree(uow, system, externalRef, true);
  if (!wos.length) return { externalRef, accepted: false, reason: `no work orders for externalRef ${externalRef}`, workOrders: [] };
  const open = wos.filter((w) => w.status === 'released' || w.status === 'in_progress');
  await cancelWorkOrders(uow, open, at, `cancelled by ${system ?? 'an outside system'}${reason ? `: ${reason}` : ''}`);
  const cancelled = new Set(open.map((w) => w.id));
  const completed = wos.filter((w) => w.status === 'completed').length;
  return {
    externalRef,
    accepted: true,
    reason: `cancelled ${open.length} work order(s); ${completed} already completed`,
    workOrders: wos.map((w) => ({
      id: w.id,
      itemCode: w.item_code,
      qty: num(w.qty),
      newQty: cancelled.has(w.id) ? num(w.good_qty) : num(w.qty),
      goodQty: num(w.good_qty),
      status: cancelled.has(w.id) ? 'cancelled' : w.status,
    })),
  };
}

export interface ExternalOperation {
  workOrder: string;
  operation: string;
  status: string;
}

/**
 * The operation an outside MES reports on: its work order by (system, externalRef) or by id, the
 * operation by routing sequence or, without one, by its work centre (which must then be unique).
 * Answers a reason instead when it cannot be found.
 */
export async function findExternalOperation(
  uow: UnitOfWork,
  system: string | null,
  ref: { externalRef?: string; workOrder?: string; operationSeq?: number; workCenter?: string },
): Promise<ExternalOperation | { reason: string }> {
  const [wo] = ref.workOrder
    ? await uow.query<{ id: string }>('select id from mes.work_orders where id = $1', [ref.workOrder])
    : await uow.query<{ id: string }>('select id from mes.work_orders where external_ref = $1 and external_system is not distinct from $2 and top', [
        ref.externalRef,
        system,
      ]);
  if (!wo) return { reason: ref.workOrder ? `work order ${ref.workOrder} is unknown` : `no work order for externalRef ${ref.externalRef}` };
  const ops = await uow.query<{ id: string; seq: number; work_center: string; status: string }>(
    'select id, seq, work_center, status from mes.operations where work_order_id = $1 order by seq',
    [wo.id],
  );
  const hits = ref.operationSeq !== undefined ? ops.filter((o) => o.seq === ref.operationSeq) : ops.filter((o) => o.work_center === ref.workCenter);
  const what = ref.operationSeq !== undefined ? `operation ${ref.operationSeq}` : `an operation at ${ref.workCenter}`;
  if (!hits.length) return { reason: `work order ${wo.id} has no ${what}` };
  if (hits.length > 1) return { reason: `work order ${wo.id} has several operations at ${ref.workCenter}: name the operation's seq` };
  return { workOrder: wo.id, operation: hits[0].id, status: hits[0].status };
}
