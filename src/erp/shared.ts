import type { UnitOfWork } from '../platform/index.ts';

/** Who caused a change, as the ledger and the history record it. */
export const actorName = (uow: UnitOfWork) => `${uow.actor.kind}:${uow.actor.id}`;

/** An instant column as ISO-8601 (or null). */
export const instant = (v: Date | string | null | undefined): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString();

/** A numeric column that may be null. */
export const numOrNull = (v: string | number | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));
