import pg from 'pg';
import { isStalePlan, type Connection, type Engine, type Row, type Statement } from './types.ts';

// bigint (count(*), sequences) as a JS number: our counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Server-side prepared statements for SQL that repeats, as PgJDBC does with `prepareThreshold`:
 * a text seen twice gets a name, and every pooled connection parses and plans it once instead of on
 * every call. On the hot paths (a production report, an approval) parse and plan were a third of
 * the server's work. Bounded, because some SQL is built at run time (filters, multi-row inserts):
 * past the bounds a text simply runs unnamed, as before.
 */
export class StatementNames {
  private readonly seen = new Map<string, number>();
  private readonly names = new Map<string, string>();
  private counter = 0;
  constructor(
    private readonly maxTracked = 5_000,
    private readonly maxNamed = 1_000,
  ) {}

  nameOf(sql: string): string | undefined {
    const named = this.names.get(sql);
    if (named) return named;
    if (!this.seen.has(sql)) {
      if (this.seen.size < this.maxTracked) this.seen.set(sql, 1);
      return undefined;
    }
    if (this.names.size >= this.maxNamed) return undefined;
    const name = `closeloop_${++this.counter}`;
    this.names.set(sql, name);
    this.seen.delete(sql);
    return name;
  }

  /** The text's prepared form is stale (its tables changed under it): the next use prepares it afresh, under a new name. */
  forget(sql: string) {
    this.names.delete(sql);
  }
}

/**
 * A PostgreSQL server through a pg connection pool. Connections pipeline (pg's `pipeline: true`):
 * BEGIN goes out with a transaction's first statement and COMMIT with its last, so a use case of
 * two statements costs two round trips, not four. On two cores the per-statement socket writes and
 * wake-ups, not the SQL, were what limited production reports (BENCHMARKS.md).
 */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Engine> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, pipeline: true } as pg.PoolConfig);
  pool.on('error', () => {
    /* an idle client lost its connection; the pool replaces it */
  });
  const probe = await pool.connect();
  probe.release();
  const statements = new StatementNames();
  const config = (text: string, values: unknown[]): pg.QueryConfig => ({ name: statements.nameOf(text), text, values });
  /** Sends a statement; a stale prepared form is forgotten (a unit of work retries on it, see isStalePlan). */
  const send = <R extends pg.QueryResultRow>(on: pg.Pool | pg.PoolClient, sql: string, params: unknown[]) =>
    on.query<R>(config(sql, params)).catch((e: unknown) => {
      if (isStalePlan(e)) statements.forget(sql);
      throw e;
    });
  return {
    kind: 'postgres',
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      try {
        return (await send<T>(pool, sql, params)).rows;
      } catch (e) {
        if (!isStalePlan(e)) throw e;
        return (await send<T>(pool, sql, params)).rows; // once more, prepared afresh
      }
    },
    async transaction<T>(fn: (conn: Connection) => Promise<T>, last?: () => Statement | undefined): Promise<T> {
      const client = await pool.connect();
      // a connection lost while checked out (the server went away) must not crash the process:
      // the statement in flight fails, and the client is discarded when released
      let broken: Error | undefined;
      const lost = (e: Error) => (broken = e);
      client.on('error', lost);
      // BEGIN is not awaited on its own: the first statement follows it on the wire.
      let begun: Promise<unknown> | null = client.query('BEGIN');
      begun.catch(() => undefined);
      const afterBegin = async <R>(sent: Promise<R>): Promise<R> => {
        if (begun) {
          const b = begun;
          begun = null;
          try {
            await b;
          } catch (e) {
            sent.catch(() => undefined);
            throw e;
          }
        }
        return sent;
      };
      try {
        const conn: Connection = {
          async query<R extends Row>(sql: string, params: unknown[] = []) {
            return (await afterBegin(send<R>(client, sql, params))).rows;
          },
          async exec(sql: string) {
            await afterBegin(client.query(sql));
          },
        };
        const result = await fn(conn);
        const tail = last?.();
        await afterBegin(Promise.resolve()); // a use case that ran no statement still needs its BEGIN answered
        if (!tail) {
          await client.query('COMMIT');
          return result;
        }
        // In order on the server: if the tail fails, the transaction is aborted and COMMIT only rolls it back.
        const [ran, committed] = await Promise.allSettled([send(client, tail.sql, tail.params), client.query('COMMIT')]);
        if (ran.status === 'rejected') throw ran.reason;
        if (committed.status === 'rejected') throw committed.reason;
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch((r: Error) => (broken ??= r));
        throw e;
      } finally {
        client.off('error', lost);
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
