import { createHash } from 'node:crypto';
import type { Queryable } from '../db/index.ts';

/** The hash before the first row of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** An audit row as the chain sees it: every column as PostgreSQL prints it (no client-side rounding). */
export interface ChainRow {
  seq: string;
  at: string;
  actor: string;
  action: string;
  entity: string;
  ref: string;
  before: string | null;
  after: string | null;
  message_id: string | null;
  correlation_id: string | null;
  chain_no: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/**
 * The columns of a row in their canonical text form: timestamps in UTC to the microsecond,
 * jsonb in PostgreSQL's normalised output (keys ordered, one spacing). The aliases shadow the
 * columns in ORDER BY: order by the table alias (`l.seq`), never by the bare name (text order).
 */
export const CHAIN_COLUMNS = `seq::text as seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
  actor, action, entity, ref, before::text as before, after::text as after, message_id::text as message_id,
  correlation_id, chain_no::text as chain_no, prev_hash, hash`;

export function canonicalRow(r: ChainRow): string {
  return JSON.stringify([r.seq, r.at, r.actor, r.action, r.entity, r.ref, r.before, r.after, r.message_id, r.correlation_id]);
}

/** hash = sha256(prev_hash + canonical row), hex. */
export function chainHash(prevHash: string, r: ChainRow): string {
  return createHash('sha256').update(prevHash).update(canonicalRow(r)).digest('hex');
}

export interface ChainBreak {
  seq: number;
  chainNo: number;
  reason: string;
}

export interface ChainReport {
  ok: boolean;
  /** Sealed rows checked. */
  checked: number;
  /** Rows written but not sealed yet (the sealer runs after commits). */
  unsealed: number;
  firstBroken: ChainBreak | null;
}

/**
 * Walks the chain in sealing order and recomputes every hash: an edited row, a deleted row
 * (a gap in chain_no, or a head beyond the last row) or a re-linked row breaks it.
 */
export async function verifyAuditChain(q: Queryable, batch = 5_000): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let expectNo = 1;
  let checked = 0;
  const broken = (r: ChainRow, reason: string): ChainReport => ({
    ok: false,
    checked,
    unsealed: 0,
    firstBroken: { seq: Number(r.seq), chainNo: Number(r.chain_no), reason },
  });
  for (;;) {
    const rows = await q.query<ChainRow>(
      `select ${CHAIN_COLUMNS} from platform.audit_log l where l.chain_no >= $1 order by l.chain_no limit $2`,
      [expectNo, batch],
    );
    for (const r of rows) {
      const no = Number(r.chain_no);
      if (no !== expectNo) return broken(r, `chain number ${expectNo} is missing (a row was deleted)`);
      if (r.prev_hash !== prev) return broken(r, 'prev_hash does not match the hash of the row before');
      const h = chainHash(prev, r);
      if (r.hash !== h) return broken(r, 'the row was changed after it was sealed (hash mismatch)');
      prev = h;
      expectNo++;
      checked++;
    }
    if (rows.length < batch) break;
  }
  const [head] = await q.query<{ chain_no: string; hash: string }>('select chain_no::text as chain_no, hash from platform.audit_chain_head where id = 1');
  const [{ n }] = await q.query<{ n: number }>('select count(*)::int as n from platform.audit_log where chain_no is null');
  if (head && (Number(head.chain_no) !== expectNo - 1 || head.hash !== prev))
    return {
      ok: false,
      checked,
      unsealed: n,
      firstBroken: { seq: 0, chainNo: expectNo, reason: `the chain head says ${head.chain_no} rows but ${expectNo - 1} are there (rows were deleted at the end)` },
    };
  return { ok: true, checked, unsealed: n, firstBroken: null };
}
