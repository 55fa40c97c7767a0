import { z } from 'zod';
import { conflict, notFound, type Router } from '../../platform/index.ts';
import { reopenFeedEvent } from '../feed/dispatcher.ts';
import { FEED_DEAD_LETTER_SOURCE } from '../feed/model.ts';

/** A row of platform.dead_letters. */
interface DeadLetterRow {
  id: number;
  /** 'bus', the feed's, or an ingest channel such as 'mqtt'. */
  source: string;
  message_id: string | null;
  consumer: string | null;
  type: string | null;
  payload: unknown;
  reason: string;
  status: 'open' | 'replayed' | 'discarded';
  created_at: Date;
  replayed_at: Date | null;
}

const view = (r: Omit<DeadLetterRow, 'payload'>) => ({
  id: Number(r.id),
  source: r.source,
  messageId: r.message_id,
  consumer: r.consumer,
  type: r.type,
  reason: r.reason,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  replayedAt: r.replayed_at ? r.replayed_at.toISOString() : null,
});

/**
 * Dead letters: messages that failed after their retries (and shop-floor payloads that did not
 * validate). A bus message is replayed by reopening it in the outbox: consumers that handled it
 * already skip it through their inbox, so a replay applies it once, where it failed.
 */
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
    handler: async ({ q, query }) =>
      (
        await q.query<Omit<DeadLetterRow, 'payload'>>(
          `select id, source, message_id, consumer, type, reason, status, created_at, replayed_at from platform.dead_letters
            where ($1::text is null or status = $1) and ($2::text is null or source = $2) order by id desc limit $3`,
          [query.status ?? null, query.source ?? null, query.limit],
        )
      ).map(view),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/integration/dead-letters/:id',
    permission: 'integration.read',
    summary: 'One dead letter with its payload',
    params: z.strictObject({ id: z.coerce.number().int().positive() }),
    handler: async ({ q, params }) => {
      const [r] = await q.query<DeadLetterRow>('select * from platform.dead_letters where id = $1', [params.id]);
      if (!r) throw notFound('dead letter', params.id);
      return { ...view(r), payload: r.payload };
    },
  });

  router.route({
    method: 'POST',
    url: '/api/v1/integration/dead-letters/:id/replay',
    permission: 'integration.write',
    summary: 'Deliver a dead-lettered message again (after fixing its cause)',
    params: z.strictObject({ id: z.coerce.number().int().positive() }),
    handler: async ({ uow, params }) => {
      const [dl] = await uow.query<DeadLetterRow>('select * from platform.dead_letters where id = $1 for update', [params.id]);
      if (!dl) throw notFound('dead letter', params.id);
      if (dl.status !== 'open') throw conflict(`dead letter ${params.id} is ${dl.status}`, { status: dl.status });
      // A feed event its webhook did not take: due again (it releases the events of its externalRef behind it).
      if (dl.source === FEED_DEAD_LETTER_SOURCE && dl.message_id) await reopenFeedEvent(uow, dl.message_id);
      else if (dl.source !== 'bus' || !dl.message_id)
        throw conflict(`a ${dl.source} payload is not replayed from here: the device or connector sends it again`, { source: dl.source });
      else
        // the consumer that gave up has not had it: another consumer's delivery must not mark the row
        // delivered before this one handles it again (over JetStream it was counted among `consumers`)
        await uow.query(
          `update platform.outbox set status = 'pending', attempts = 0, next_attempt_at = null, last_error = null, published_at = null,
                  consumers = array_remove(consumers, $2::text) where id = $1`,
          [dl.message_id, dl.consumer],
        );
      await uow.query(`update platform.dead_letters set status = 'replayed', replayed_at = now() where id = $1`, [params.id]);
      await uow.query(
        `update platform.alerts set acknowledged_at = now(), acknowledged_by = $2
          where kind = 'integration_failure' and ref = $1 and acknowledged_at is null`,
        [`${dl.consumer}/${dl.message_id}`, uow.actor.id],
      );
      uow.audit({ action: 'replay', entity: 'dead_letter', ref: String(params.id), before: { status: 'open' }, after: { status: 'replayed' } });
      // The relay wakes after every commit that emits; a replay emits nothing, so wake it explicitly.
      uow.emit('integration.dead-letter.replayed', { id: params.id, messageId: dl.message_id }, { correlationId: null });
      return { id: params.id, status: 'replayed', messageId: dl.message_id };
    },
  });
}
