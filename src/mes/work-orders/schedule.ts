import type { UnitOfWork } from '../../platform/index.ts';
import { conflict, num } from '../../platform/index.ts';
import { createWorkOrders } from './create.ts';
import type { PlanOptions } from './plan.ts';

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

/**
 * Work orders for production requests of an outside ERP (the B2MML inbound endpoint): one tree per
 * request, the top work order carrying `externalRef`. A request whose externalRef already has a
 * work order is not made twice: its existing work orders are returned.
 */
export async function createExternalWorkOrders(uow: UnitOfWork, requests: ExternalRequest[], plan: PlanOptions = {}) {
  const refs = requests.map((r) => r.externalRef);
  if (new Set(refs).size !== refs.length) throw conflict('an externalRef appears twice in one request', { externalRefs: refs });
  const system = requests[0]?.externalSystem ?? null;
  if (requests.some((r) => (r.externalSystem ?? null) !== system)) throw conflict('one request comes from one system');
  const known = await uow.query(
    'select id, external_ref, item_code, qty from mes.work_orders where external_ref = any($1::text[]) and external_system is not distinct from $2 and top',
    [refs, system],
  );
  const knownRefs = new Set(known.map((k) => k.external_ref));
  const fresh = requests.filter((r) => !knownRefs.has(r.externalRef));
  const created = await createWorkOrders(uow, fresh.map((r) => ({ ...r, salesOrder: null, lineNo: null })), plan);
  return requests.map((r) => {
    const k = known.find((x) => x.external_ref === r.externalRef);
    if (k) return { externalRef: r.externalRef, created: false, workOrders: [{ id: k.id as string, itemCode: k.item_code as string, qty: num(k.qty), parentWorkOrder: null, top: true }] };
    const i = fresh.indexOf(r);
    return {
      externalRef: r.externalRef,
      created: true,
      workOrders: created.filter((c) => c.request === i).map((w) => ({ id: w.id, itemCode: w.itemCode, qty: w.qty, parentWorkOrder: w.parentWorkOrder, top: w.top })),
    };
  });
}
