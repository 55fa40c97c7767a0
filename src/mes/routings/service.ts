import type { Queryable, UnitOfWork } from '../../platform/index.ts';
import { notFound, num, unprocessable } from '../../platform/index.ts';
import { planWorkOrders, type PlanOptions } from '../work-orders/plan.ts';
import { bareWorkOrders, currentRouting, fillWorkOrders, insertRoutingVersion, plantsOfCentres, type RoutingRow } from './store.ts';

export interface RoutingOperation {
  seq: number;
  name: string;
  workCenter: string;
  setupMinutes: number;
  minutesPerUnit: number;
  inspectionRequired?: boolean;
  /** Work centres the scheduler may choose instead (same plant). */
  alternatives?: string[];
  /** Its setup family (a colour, a die): changeovers between families come from the work centre's matrix. */
  setupFamily?: string | null;
}

const view = (r: RoutingRow): Required<RoutingOperation> => ({
  seq: r.seq,
  name: r.name,
  workCenter: r.work_center,
  setupMinutes: num(r.setup_minutes),
  minutesPerUnit: num(r.minutes_per_unit),
  inspectionRequired: r.inspection_required,
  alternatives: r.alternatives ?? [],
  setupFamily: r.setup_family ?? null,
});

/** The current version of an item's routing. */
export async function getRouting(q: Queryable, itemCode: string) {
  const rows = await currentRouting(q, itemCode);
  if (!rows.length) throw notFound('routing', itemCode);
  return { itemCode, version: rows[0].version, operations: rows.map(view) };
}

/**
 * A new version of an item's routing (the previous ones stay: work orders keep the version they
 * were made with). Its work centres and alternatives must be known and of one plant. Released
 * work orders made without any operations (no routing then) get the new ones, planned.
 */
export async function putRouting(uow: UnitOfWork, itemCode: string, operations: RoutingOperation[], plan: PlanOptions) {
  const seqs = operations.map((o) => o.seq);
  if (new Set(seqs).size !== seqs.length) throw unprocessable('operation sequence numbers must be unique', { seqs });
  const centres = [...new Set(operations.flatMap((o) => [o.workCenter, ...(o.alternatives ?? [])]))];
  const known = await plantsOfCentres(uow, centres);
  const unknown = centres.filter((c) => !known.some((k) => k.code === c));
  if (unknown.length) throw unprocessable(`unknown work centre ${unknown.join(', ')}`, { workCenters: unknown });
  const plants = [...new Set(known.map((k) => k.plant))];
  if (plants.length > 1)
    throw unprocessable(`a routing stays in one plant: its work centres are in ${plants.join(', ')}`, { plants, workCenters: known });
  const selfAlternative = operations.find((o) => o.alternatives?.includes(o.workCenter));
  if (selfAlternative) throw unprocessable(`operation ${selfAlternative.seq} names its own work centre as an alternative`, { seq: selfAlternative.seq });
  const before = await currentRouting(uow, itemCode);
  const version = (before[0]?.version ?? 0) + 1;
  const ops = operations.map((o) => ({ ...o, inspectionRequired: o.inspectionRequired ?? false, alternatives: [...new Set(o.alternatives ?? [])], setupFamily: o.setupFamily ?? null }));
  await insertRoutingVersion(uow, itemCode, version, ops);
  const bare = (await bareWorkOrders(uow, itemCode)).map((b) => b.id);
  if (bare.length && ops.length) {
    await fillWorkOrders(uow, bare, itemCode, version, plants[0]);
    await planWorkOrders(uow, bare, plan);
  }
  const after = { itemCode, version, operations: ops };
  uow.audit({ action: before.length ? 'update' : 'create', entity: 'routing', ref: itemCode, before: before.length ? { version: before[0].version, operations: before.map(view) } : null, after });
  return { ...after, workOrdersFilled: bare };
}

/** An item's current routing operations in sequence ([] when it has none). */
export async function routingOperations(q: Queryable, itemCode: string): Promise<Required<RoutingOperation>[]> {
  return (await currentRouting(q, itemCode)).map(view);
}
