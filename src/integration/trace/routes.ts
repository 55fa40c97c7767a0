import { z } from 'zod';
import type { Router } from '../../platform/index.ts';
import { traceMessage, traceMessages } from './store.ts';

/** The message trace: every message an order caused, with its direction, status and timings. */
export function traceRoutes(router: Router) {
  router.route({
    method: 'GET',
    url: '/api/v1/integration/messages',
    permission: 'integration.read',
    summary: 'Messages by correlation id (a sales order id traces everything the order caused)',
    query: z.strictObject({
      correlationId: z.string().optional(),
      type: z.string().optional(),
      status: z.enum(['pending', 'failed', 'delivered', 'dead']).optional(),
      limit: z.coerce.number().int().min(1).max(5000).default(500),
    }),
    handler: ({ q, query }) => traceMessages(q, query),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/integration/messages/:id',
    permission: 'integration.read',
    summary: 'One message with its payload',
    params: z.strictObject({ id: z.string().uuid() }),
    handler: ({ q, params }) => traceMessage(q, params.id),
  });
}
