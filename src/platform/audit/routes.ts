import { z } from 'zod';
import type { Router } from '../http/index.ts';
import { verifyAuditChain } from './chain.ts';
import { listAudit } from './query.ts';

/** The audit log (read-only: nothing changes it but the sealer's chaining). */
export function auditRoutes(router: Router) {
  router.route({
    method: 'GET',
    url: '/api/v1/audit',
    permission: 'audit.read',
    summary: 'The audit log of every write, newest first; filters entity, ref, user (user:alice, machine:key_…, message:consumer or a user name), from, to (exclusive), messageId',
    query: z.strictObject({
      entity: z.string().max(200).optional(),
      ref: z.string().max(500).optional(),
      user: z.string().max(200).optional(),
      actor: z.string().max(200).optional(),
      from: z.coerce.date().optional(),
      to: z.coerce.date().optional(),
      messageId: z.uuid().optional(),
      limit: z.coerce.number().int().min(1).max(5000).default(500),
    }),
    handler: async ({ q, query }) => listAudit(q, { ...query, user: query.user ?? query.actor }),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/audit/chain',
    permission: 'audit.read',
    summary: "Checks the audit log's hash chain (what `closeloop audit verify` does)",
    handler: async ({ q }) => verifyAuditChain(q),
  });
}
