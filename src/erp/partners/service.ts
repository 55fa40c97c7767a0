import { z } from 'zod';
import { conflict, notFound, type Queryable, type UnitOfWork } from '../../platform/index.ts';
import type { PartnerRow } from './store.ts';

export const PARTNER_KINDS = { customer: 'erp.customers', supplier: 'erp.suppliers' } as const;
export type PartnerKind = keyof typeof PARTNER_KINDS;

export const NewPartner = z.strictObject({ code: z.string().trim().min(1).max(64), name: z.string().trim().min(1).max(200) });
export type NewPartner = z.infer<typeof NewPartner>;

/** Customers and suppliers (warehouses have a plant: src/erp/warehouses): a unique code and a name (409 on a duplicate code). */
export async function createPartner(uow: UnitOfWork, kind: PartnerKind, p: NewPartner) {
  const rows = await uow.query<Pick<PartnerRow, 'code'>>(`insert into ${PARTNER_KINDS[kind]} (code, name) values ($1, $2) on conflict (code) do nothing returning code`, [p.code, p.name]);
  if (!rows.length) throw conflict(`${kind} ${p.code} exists`, { code: p.code });
  uow.audit({ action: 'create', entity: kind, ref: p.code, after: p });
  return { code: p.code, name: p.name };
}

/** Create or rename (imports). */
export async function upsertPartner(uow: UnitOfWork, kind: PartnerKind, p: NewPartner) {
  const [before] = await uow.query<Pick<PartnerRow, 'code' | 'name'>>(`select code, name from ${PARTNER_KINDS[kind]} where code = $1`, [p.code]);
  if (before) {
    if (before.name === p.name) return;
    await uow.query(`update ${PARTNER_KINDS[kind]} set name = $2 where code = $1`, [p.code, p.name]);
    uow.audit({ action: 'update', entity: kind, ref: p.code, before: { name: before.name }, after: { name: p.name } });
  } else await createPartner(uow, kind, p);
}

export async function listPartners(q: Queryable, kind: PartnerKind) {
  return q.query<Pick<PartnerRow, 'code' | 'name'>>(`select code, name from ${PARTNER_KINDS[kind]} order by code`);
}

export async function partnerOf(q: Queryable, kind: PartnerKind, code: string) {
  const [r] = await q.query<Pick<PartnerRow, 'code' | 'name'>>(`select code, name from ${PARTNER_KINDS[kind]} where code = $1`, [code]);
  if (!r) throw notFound(kind, code);
  return { code: r.code, name: r.name };
}
