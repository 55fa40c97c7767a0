import { randomUUID } from 'node:crypto';
import type { EmittedPayload, EmittedType } from '../bus/catalogue.ts';
import { isStalePlan, type Connection, type Engine, type Queryable, type Row, type Statement, type UnknownRow } from './types.ts';

/** Who causes a change: a signed-in user, a machine account, an incoming message, or the system. */
export interface Scope {
  plants?: string[];
  workCenters?: string[];
}
export interface Actor {
  kind: 'user' | 'machine' | 'message' | 'system';
  id: string;
  roles: string[];
  scope?: Scope;
}
export const systemActor: Actor = { kind: 'system', id: 'system', roles: ['admin'] };

export interface OutgoingMessage {
  id: string;
  type: string;
  source: string;
  correlationId: string | null;
  payload: unknown;
}

export interface AuditEntry {
  action: string;
  entity: string;
  ref: string;
  before?: unknown;
  after?: unknown;
  /** Filled in by the unit of work: the message a handler was handling, and the correlation. */
  messageId?: string | null;
  correlationId?: string | null;
}

/**
 * A use case's transaction: its SQL, the messages it causes and its audit rows are committed
 * together or not at all (the transactional outbox, DESIGN.md convention 4).
 */
export interface UnitOfWork extends Queryable {
  readonly actor: Actor;
  /** The module running the use case; the default `source` of what it emits. */
  readonly module: string;
  /** Inherited by every emitted message unless one is given (the sales order id for order flows). */
  correlationId: string | null;
  /** The message a handler's unit of work is handling (set by the relay); recorded on its audit rows. */
  messageId?: string | null;
  /** Records a message of the catalogue (src/messages): its payload is type-checked against the type's schema. */
  emit<T extends EmittedType>(type: T, payload: EmittedPayload<T>, opts?: { correlationId?: string | null }): OutgoingMessage;
  /**
   * A message whose type is known only at run time: one forwarded as it came (the shop-floor
   * ingest's messages for the MES) or a test's deliberately bad payload. Not checked by the compiler.
   */
  emitRaw(type: string, payload: unknown, opts?: { correlationId?: string | null }): OutgoingMessage;
  audit(entry: AuditEntry): void;
  afterCommit(fn: () => void): void;
}

export interface UnitOfWorkOptions {
  actor: Actor;
  module: string;
  correlationId?: string | null;
}

type CommitListener = (emitted: number) => void;

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

export class Database implements Queryable {
  private readonly commitListeners: CommitListener[] = [];
  private readonly auditListeners: (() => void)[] = [];
  constructor(readonly engine: Engine) {}

  get kind() {
    return this.engine.kind;
  }

  query<T extends Row = UnknownRow>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.engine.query<T>(sql, params);
  }

  /** Told after every commit that emitted messages (the relay wakes up on it). */
  onCommit(listener: CommitListener) {
    this.commitListeners.push(listener);
  }

  /** Told after every commit that wrote audit rows (the audit sealer wakes up on it). */
  onAudit(listener: () => void) {
    this.auditListeners.push(listener);
  }

  async unitOfWork<T>(opts: UnitOfWorkOptions, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const state = { messages: [] as OutgoingMessage[], audits: [] as AuditEntry[], after: [] as (() => void)[] };
      try {
        const result = await this.engine.transaction(
          (conn) => fn(makeUnitOfWork(conn, opts, state)),
          () => flushStatement(opts.actor, state.messages, state.audits),
        );
        if (state.messages.length) for (const l of this.commitListeners) l(state.messages.length);
        if (state.audits.length) for (const l of this.auditListeners) l();
        for (const f of state.after) f();
        return result;
      } catch (e: unknown) {
        const code = (e as { code?: string } | undefined)?.code;
        if (attempt < 4 && ((code !== undefined && RETRYABLE.has(code)) || isStalePlan(e))) continue;
        throw e;
      }
    }
  }

  close() {
    return this.engine.close();
  }
}

function makeUnitOfWork(
  conn: Connection,
  opts: UnitOfWorkOptions,
  state: { messages: OutgoingMessage[]; audits: AuditEntry[]; after: (() => void)[] },
): UnitOfWork {
  return {
    actor: opts.actor,
    module: opts.module,
    correlationId: opts.correlationId ?? null,
    messageId: null,
    query: (sql, params) => conn.query(sql, params),
    emit(type, payload, o) {
      return this.emitRaw(type, payload, o);
    },
    emitRaw(type, payload, o) {
      const m: OutgoingMessage = {
        id: randomUUID(),
        type,
        source: opts.module,
        correlationId: o?.correlationId !== undefined ? o.correlationId : this.correlationId,
        payload,
      };
      state.messages.push(m);
      return m;
    },
    audit(entry) {
      state.audits.push({ ...entry, messageId: entry.messageId ?? this.messageId, correlationId: entry.correlationId ?? this.correlationId });
    },
    afterCommit(fn) {
      state.after.push(fn);
    },
  };
}

const OUTBOX_INSERT = `insert into platform.outbox (id, type, source, correlation_id, payload)
  select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`;
/** The audit insert with its 8 parameters numbered from $(first+1). */
const auditInsert = (first: number) => {
  const [actor, action, entity, ref, before, after, messageId, correlationId] = Array.from({ length: 8 }, (_, i) => `$${first + i + 1}`);
  return `insert into platform.audit_log (actor, action, entity, ref, before, after, message_id, correlation_id)
  select ${actor}, * from unnest(${action}::text[], ${entity}::text[], ${ref}::text[], ${before}::jsonb[], ${after}::jsonb[], ${messageId}::uuid[], ${correlationId}::text[])`;
};
const AUDIT_INSERT = auditInsert(0);
/** Messages and audit rows together in one round trip: a report or an approval has both. */
const FLUSH_BOTH = `with outbox as (${OUTBOX_INSERT}) ${auditInsert(5)}`;

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** The messages and the audit rows of a unit of work: one statement (sent with the COMMIT), one multi-row insert each. */
function flushStatement(actor: Actor, messages: OutgoingMessage[], audits: AuditEntry[]): Statement | undefined {
  if (!messages.length && !audits.length) return undefined;
  const outbox = [
    messages.map((m) => m.id),
    messages.map((m) => m.type),
    messages.map((m) => m.source),
    messages.map((m) => m.correlationId),
    messages.map((m) => JSON.stringify(m.payload ?? null)),
  ];
  const audit = [
    `${actor.kind}:${actor.id}`,
    audits.map((a) => a.action),
    audits.map((a) => a.entity),
    audits.map((a) => a.ref),
    audits.map((a) => json(a.before)),
    audits.map((a) => json(a.after)),
    audits.map((a) => a.messageId ?? null),
    audits.map((a) => a.correlationId ?? null),
  ];
  if (!audits.length) return { sql: OUTBOX_INSERT, params: outbox };
  if (!messages.length) return { sql: AUDIT_INSERT, params: audit };
  return { sql: FLUSH_BOTH, params: [...outbox, ...audit] };
}
