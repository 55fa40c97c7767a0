import pg from 'pg';
import type { Connection, Engine, Row } from './types.ts';

// bigint (count(*), sequences) as a JS number: our counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** A PostgreSQL server through a pg connection pool. */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Engine> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  pool.on('error', () => {
    /* an idle client lost its connection; the pool replaces it */
  });
  const probe = await pool.connect();
  probe.release();
  return {
    kind: 'postgres',
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async transaction<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const conn: Connection = {
          async query<R extends Row>(sql: string, params: unknown[] = []) {
            return (await client.query(sql, params)).rows as R[];
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        };
        const result = await fn(conn);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
