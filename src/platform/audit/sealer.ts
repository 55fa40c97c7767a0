import { WakeableLoop } from '../background.ts';
import type { Database } from '../db/index.ts';
import { CHAIN_COLUMNS, chainHash, type ChainRow } from './chain.ts';

/**
 * Links committed audit rows into the hash chain, in sealing order, after the fact: writers only
 * insert rows (chain_no null) and never wait for it. One sealer at a time holds the chain head's
 * row lock (`skip locked`: another instance's sealer simply skips the pass). A row committed late
 * with a lower seq is sealed in a later pass; the chain's order is chain_no, not seq.
 */
export class AuditSealer {
  private readonly loop: WakeableLoop;

  constructor(
    private readonly db: Database,
    private readonly opts: { batch?: number; pollMs?: number; onError?: (e: unknown) => void } = {},
  ) {
    this.loop = new WakeableLoop(
      () => this.sealAll({ wait: false }),
      () => this.opts.pollMs ?? 2_000,
      (e) => this.opts.onError?.(e),
    );
    db.onAudit(() => this.wake());
  }

  start() {
    this.loop.start();
  }

  stop() {
    return this.loop.stop();
  }

  wake() {
    this.loop.wake();
  }

  /**
   * Seals until nothing is left; returns how many rows it sealed. `wait` (default, for tests and
   * tools): wait for a sealer at work elsewhere instead of skipping the pass.
   */
  async sealAll(opts: { wait?: boolean } = {}): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.sealBatch(opts.wait ?? true);
      total += n;
      if (n < (this.opts.batch ?? 1_000)) return total;
    }
  }

  /** One transaction: lock the head, chain the next unsealed rows in seq order, move the head. */
  async sealBatch(wait = false): Promise<number> {
    const batch = this.opts.batch ?? 1_000;
    return this.db.engine.transaction(async (conn) => {
      const [head] = await conn.query<{ chain_no: string; hash: string }>(
        `select chain_no::text as chain_no, hash from platform.audit_chain_head where id = 1 for update${wait ? '' : ' skip locked'}`,
      );
      if (!head) return 0; // another sealer is at work
      const rows = await conn.query<ChainRow>(
        `select ${CHAIN_COLUMNS} from platform.audit_log l where l.chain_no is null order by l.seq limit $1`,
        [batch],
      );
      if (!rows.length) return 0;
      let prev = head.hash;
      let no = Number(head.chain_no);
      const seqs: string[] = [];
      const nos: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const r of rows) {
        no++;
        const h = chainHash(prev, r);
        seqs.push(r.seq);
        nos.push(no);
        prevs.push(prev);
        hashes.push(h);
        prev = h;
      }
      await conn.query(
        `update platform.audit_log a set chain_no = s.no, prev_hash = s.prev, hash = s.hash
           from (select unnest($1::bigint[]) as seq, unnest($2::bigint[]) as no, unnest($3::text[]) as prev, unnest($4::text[]) as hash) s
          where a.seq = s.seq and a.chain_no is null`,
        [seqs, nos, prevs, hashes],
      );
      await conn.query('update platform.audit_chain_head set chain_no = $1, hash = $2 where id = 1', [no, prev]);
      return rows.length;
    });
  }
}
