import type { Queryable } from '../../platform/index.ts';

/** Which of these item codes the MES knows (from the ERP's SyncMaterialDefinition), with their unit. */
export async function mesKnownItems(q: Queryable, codes: string[]): Promise<Map<string, { code: string; uom: string }>> {
  const rows = await q.query<{ code: string; uom: string }>('select code, uom from mes.items where code = any($1::text[])', [codes]);
  return new Map(rows.map((r) => [r.code, r]));
}

/** Which of these work centre codes the MES knows. */
export async function mesKnownWorkCenters(q: Queryable, codes: string[]): Promise<Set<string>> {
  const rows = await q.query<{ code: string }>('select code from mes.work_centers where code = any($1::text[])', [codes]);
  return new Set(rows.map((r) => r.code));
}

/** Which of these plant codes the MES knows. */
export async function mesKnownPlants(q: Queryable, codes: string[]): Promise<Set<string>> {
  const rows = await q.query<{ code: string }>('select code from mes.plants where code = any($1::text[])', [codes]);
  return new Set(rows.map((r) => r.code));
}
