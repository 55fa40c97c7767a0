/**
 * One query layer over both engines (ADR 0002): plain parameterised SQL in the PostgreSQL dialect,
 * typed by the row interface the caller names. PGlite (embedded) and a pg pool (server) both
 * implement it. A caller that names no row type gets `UnknownRow`: it may pass the rows on, but
 * reading a column needs the row's interface.
 */
/** What a row type may be: any object type (an interface has no index signature, so `Record<string, unknown>` would refuse it). */
export type Row = object;
/** The row of a query whose caller names none: every column `unknown`. */
export type UnknownRow = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = UnknownRow>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Connection extends Queryable {
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

export interface Engine {
  readonly kind: 'embedded' | 'postgres';
  /** Queries outside a transaction (reads, autocommit writes). */
  query<T extends Row = UnknownRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs fn on one connection inside BEGIN … COMMIT; rolls back if it throws. `last`, when given,
   * is run after fn as the transaction's final statement; the server engine sends it together with
   * the COMMIT (one round trip instead of two).
   */
  transaction<T>(fn: (conn: Connection) => Promise<T>, last?: () => Statement | undefined): Promise<T>;
  close(): Promise<void>;
}

/**
 * A prepared `select *` whose table gained or lost a column since it was prepared (another
 * instance ran a migration during a rolling upgrade): PostgreSQL refuses to run the old plan.
 */
export const isStalePlan = (e: unknown) =>
  (e as { code?: string })?.code === '0A000' && /cached plan must not change result type/.test(String((e as Error)?.message));
