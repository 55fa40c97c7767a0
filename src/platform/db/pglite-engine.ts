import { PGlite } from '@electric-sql/pglite';
import type { Connection, Engine, Row, Statement } from './types.ts';

/**
 * Embedded PostgreSQL (PGlite, PostgreSQL in WASM) persisted in a data folder.
 * PGlite is one session: transactions are serialised by its own mutex, which is also
 * what makes concurrent stock issues safe here (ADR 0002).
 */
export async function openPglite(dataDir: string | undefined, opts: { loadDataDir?: Blob } = {}): Promise<Engine> {
  const db = await PGlite.create(dataDir ? { dataDir, loadDataDir: opts.loadDataDir } : { loadDataDir: opts.loadDataDir });
  const engine: Engine & { pglite: PGlite } = {
    kind: 'embedded',
    pglite: db,
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      const r = await db.query<T>(sql, params);
      return r.rows;
    },
    async transaction<T>(fn: (conn: Connection) => Promise<T>, last?: () => Statement | undefined): Promise<T> {
      return db.transaction(async (tx) => {
        const conn: Connection = {
          async query<R extends Row>(sql: string, params: unknown[] = []) {
            return (await tx.query<R>(sql, params)).rows;
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        };
        const result = await fn(conn);
        const tail = last?.();
        if (tail) await tx.query(tail.sql, tail.params);
        return result;
      });
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
  return engine;
}
