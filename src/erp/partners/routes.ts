import { z } from 'zod';
import type { Router } from '../../platform/index.ts';
import { PageQuery, pageOf } from '../paging.ts';
import { createPartner, listPartners, NewPartner, PARTNER_KINDS, partnerOf, type PartnerKind } from './service.ts';
import type { PartnerRow } from './store.ts';

const paths: [PartnerKind, string][] = [
  ['customer', 'customers'],
  ['supplier', 'suppliers'],
];

export function partnerRoutes(router: Router) {
  for (const [kind, path] of paths) {
    router.route({
      method: 'POST',
      url: `/api/v1/erp/${path}`,
      permission: 'erp.master.write',
      summary: `Create a ${kind}`,
      body: NewPartner,
      status: 201,
      handler: async ({ body, uow }) => createPartner(uow, kind, body),
    });
    router.route({
      method: 'GET',
      url: `/api/v1/erp/${path}`,
      permission: 'erp.master.read',
      summary: `List ${path} (?q= searches code and name; sort, limit, offset page)`,
      query: PageQuery,
      handler: async ({ q, query }) => (Object.values(query).some((v) => v !== undefined) ? pageOf<Pick<PartnerRow, 'code' | 'name'>>(q, PARTNER_KINDS[kind], 'code, name', query) : listPartners(q, kind)),
    });
    router.route({
      method: 'GET',
      url: `/api/v1/erp/${path}/:code`,
      permission: 'erp.master.read',
      summary: `One ${kind}`,
      params: z.object({ code: z.string() }),
      handler: async ({ q, params }) => partnerOf(q, kind, params.code),
    });
  }
}
