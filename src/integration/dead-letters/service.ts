import { conflict, notFound, type Queryable, type UnitOfWork } from '../../platform/index.ts';
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

export interface DeadLetterFilter {
  status?: DeadLetterRow['status'];
  source?: string;
  limit: number;
}

/** Dead letters, newest first. */
export async function listDeadLetters(q: Queryable, f: DeadLetterFilter) {
  const rows = await q.query<Omit<DeadLetterRow, 'payload'>>(
    `select id, source, message_id, consumer, type, reason, status, created_at, replayed_at from platform.dead_letters
      where ($1::text is null or status = $1) and ($2::text is null or source = $2) order by id desc limit $3`,
    [f.status ?? null, f.source ?? null, f.limit],
  );
  return rows.map(view);
}

/** One dead letter with its payload; 404 when unknown. */
export async function deadLetter(q: Queryable, id: number) {
  const [r] = await q.query<DeadLetterRow>('select * from platform.dead_letters where id = $1', [id]);
  if (!r) throw notFound('dead letter', id);
  return { ...view(r), payload: r.payload };
}

/**
 * Replays a dead letter after its cause was fixed. A bus message is reopened in the outbox:
 * consumers that handled it already skip it through their inbox, so a replay applies it once,
 * where it failed. A feed event is due for its webhook again. A device's or connector's payload is
 * not replayed from here (409): the sender sends it again.
 */
export async function replayDeadLetter(uow: UnitOfWork, id: number) {
  const [dl] = await uow.query<DeadLetterRow>('select * from platform.dead_letters where id = $1 for update', [id]);
  if (!dl) throw notFound('dead letter', id);
  if (dl.status !== 'open') throw conflict(`dead letter ${id} is ${dl.status}`, { status: dl.status });
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
  await uow.query(`update platform.dead_letters set status = 'replayed', replayed_at = now() where id = $1`, [id]);
  await uow.query(
    `update platform.alerts set acknowledged_at = now(), acknowledged_by = $2
      where kind = 'integration_failure' and ref = $1 and acknowledged_at is null`,
    [`${dl.consumer}/${dl.message_id}`, uow.actor.id],
  );
  uow.audit({ action: 'replay', entity: 'dead_letter', ref: String(id), before: { status: 'open' }, after: { status: 'replayed' } });
  // The relay wakes after every commit that emits; a replay emits nothing, so wake it explicitly.
  uow.emit('integration.dead-letter.replayed', { id, messageId: dl.message_id }, { correlationId: null });
  return { id, status: 'replayed' as const, messageId: dl.message_id };
}
