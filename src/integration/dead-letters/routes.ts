import { z } from 'zod';
import type { Router } from '../../platform/index.ts';
import { deadLetter, listDeadLetters, replayDeadLetter } from './service.ts';

/** Dead letters: messages that failed after their retries (and shop-floor payloads that did not validate). */
export function deadLetterRoutes(router: Router) {
  router.route({
    method: 'GET',
    url: '/api/v1/integration/dead-letters',
    permission: 'integration.read',
    summary: 'Dead letters, newest first',
    query: z.strictObject({
      status: z.enum(['open', 'replayed', 'discarded']).optional(),
      source: z.string().optional(),
      limit: z.coerce.number().int().min(1).max(5000).default(500),
    }),
    handler: ({ q, query }) => listDeadLetters(q, query),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/integration/dead-letters/:id',
    permission: 'integration.read',
    summary: 'One dead letter with its payload',
    params: z.strictObject({ id: z.coerce.number().int().positive() }),
    handler: ({ q, params }) => deadLetter(q, params.id),
  });

  router.route({
    method: 'POST',
    url: '/api/v1/integration/dead-letters/:id/replay',
    permission: 'integration.write',
    summary: 'Deliver a dead-lettered message again (after fixing its cause)',
    params: z.strictObject({ id: z.coerce.number().int().positive() }),
    handler: ({ uow, params }) => replayDeadLetter(uow, params.id),
  });
}
