import type { Database, UnitOfWork } from '../db/index.ts';
import type { Message, Subscription } from './bus.ts';

/**
 * The consumer side every transport shares (ADR 0003): a consumer's messages are handled in ONE
 * unit of work together with their inbox rows, so a redelivery has no second effect; `also` runs
 * in the same unit of work after the handler (the NATS transport records the delivery there).
 */
export async function handleInOne(db: Database, sub: Subscription, list: Message[], also?: (uow: UnitOfWork, handled: Message[]) => Promise<void>) {
  await db.unitOfWork({ actor: { kind: 'message', id: sub.consumer, roles: [] }, module: sub.module }, async (uow) => {
    const fresh = await uow.query<{ message_id: string }>(
      `insert into platform.inbox (consumer, message_id) select $1, unnest($2::uuid[])
         on conflict do nothing returning message_id`,
      [sub.consumer, list.map((m) => m.id)],
    );
    const todo = new Set(fresh.map((r) => r.message_id));
    // handled before: a redelivery has no second effect
    const first = list.filter((m) => todo.has(m.id));
    if (first.length) await sub.handle(first, uow);
    uow.correlationId = null;
    uow.messageId = null;
    await also?.(uow, list);
  });
}

/**
 * A message that kept failing: the outbox row becomes `dead` and a dead letter keeps it with the
 * reason; `also` (the integration_failure alert) commits with them.
 */
export async function deadLetter(
  db: Database,
  m: Message,
  consumer: string,
  reason: string,
  attempts: number,
  consumers: string[],
  also?: (uow: UnitOfWork, m: Message, consumer: string, reason: string) => Promise<void>,
) {
  await db.unitOfWork({ actor: { kind: 'system', id: 'relay', roles: [] }, module: 'integration' }, async (uow) => {
    await uow.query(`update platform.outbox set status = 'dead', attempts = $2, last_error = $3, consumers = $4 where id = $1`, [
      m.id,
      attempts,
      reason,
      consumers,
    ]);
    await uow.query(
      `insert into platform.dead_letters (source, message_id, consumer, type, payload, reason) values ('bus', $1, $2, $3, $4, $5)`,
      [m.id, consumer, m.type, JSON.stringify(m.payload), reason],
    );
    await also?.(uow, m, consumer, reason);
  });
}

/** A failed attempt, visible in the trace while the message backs off. */
export async function recordFailure(db: Database, id: string, attempts: number, reason: string, delayMs: number) {
  await db.query(
    `update platform.outbox set status = 'failed', attempts = $2, last_error = $3,
       next_attempt_at = now() + ($4::text || ' milliseconds')::interval where id = $1`,
    [id, attempts, reason, String(delayMs)],
  );
}

/** A text[] literal for unnest of an array of arrays (PostgreSQL has no ragged arrays). */
export function pgArray(xs: string[]) {
  return `{${xs.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
