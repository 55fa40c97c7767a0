import type { Router } from '../../platform/index.ts';
import { reconcile } from './service.ts';

export function reconcileRoutes(router: Router) {
  router.route({
    method: 'POST',
    url: '/api/v1/integration/reconcile',
    permission: 'integration.write',
    summary: 'Compare ERP and MES (quantities, production, receipts, consumption, lot statuses)',
    ownTransactions: true,
    handler: async ({ q }) => reconcile(q),
  });
}
