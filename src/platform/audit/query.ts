import type { Queryable } from '../db/index.ts';

export interface AuditFilter {
  entity?: string;
  ref?: string;
  /** `kind:id` as recorded (`user:alice`), or a bare user name. */
  user?: string;
  from?: Date;
  to?: Date;
  messageId?: string;
  limit?: number;
}

export interface AuditView {
  seq: number;
  at: string;
  user: string;
  action: string;
  entity: string;
  ref: string;
  before: unknown;
  after: unknown;
  messageId: string | null;
  correlationId: string | null;
  chainNo: number | null;
  hash: string | null;
}

/** The columns of platform.audit_log that listAudit reads. */
interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  entity: string;
  ref: string;
  before: unknown;
  after: unknown;
  message_id: string | null;
  correlation_id: string | null;
  chain_no: number | null;
  hash: string | null;
}

/** The audit log, newest first, filtered; `to` is exclusive. */
export async function listAudit(q: Queryable, f: AuditFilter = {}): Promise<AuditView[]> {
  const user = f.user === undefined ? null : f.user.includes(':') ? f.user : `user:${f.user}`;
  const rows = await q.query<AuditRow>(
    `select seq, at, actor, action, entity, ref, before, after, message_id, correlation_id, chain_no, hash from platform.audit_log
      where ($1::text is null or entity = $1) and ($2::text is null or ref = $2) and ($3::text is null or actor = $3)
        and ($4::timestamptz is null or at >= $4) and ($5::timestamptz is null or at < $5)
        and ($6::uuid is null or message_id = $6)
      order by seq desc limit $7`,
    [f.entity ?? null, f.ref ?? null, user, f.from ?? null, f.to ?? null, f.messageId ?? null, f.limit ?? 500],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at.toISOString(),
    user: r.actor,
    action: r.action,
    entity: r.entity,
    ref: r.ref,
    before: r.before,
    after: r.after,
    messageId: r.message_id,
    correlationId: r.correlation_id,
    chainNo: r.chain_no === null ? null : Number(r.chain_no),
    hash: r.hash,
  }));
}
