import { randomUUID } from 'node:crypto';
import { AppError, messageOf, type Queryable, type Row, type UnitOfWork } from '../platform/index.ts';
import { outsideScope, type Accepted, type Reading } from './model.ts';
import type { ShopFloorPort } from './port.ts';
import { claimCountId, insertDeadLetters, insertTelemetry, storedCountIds, type DeadLetterRow, type TelemetryRow } from './store.ts';

/** The outcome of one message: accepted, or rejected with the reason kept in its dead letter. */
export type Outcome = { accepted: true } | { accepted: false; reason: string };

/**
 * Work centre look-ups, cached briefly: at thousands of messages a second the same few codes come
 * back again and again. A work centre created a moment ago is seen within `missTtlMs`.
 */
export type WorkCenterRef = { code: string; plant: string };

export class WorkCenterCache {
  private readonly entries = new Map<string, { value: { code: string; plant: string } | null; until: number }>();
  constructor(
    private readonly port: () => ShopFloorPort,
    private readonly hitTtlMs = 10_000,
    private readonly missTtlMs = 1_000,
  ) {}

  async resolve(q: Queryable, code: string) {
    const now = Date.now();
    const e = this.entries.get(code);
    if (e && e.until > now) return e.value;
    const value = await this.port().resolveWorkCenter(q, code);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(code, { value, until: now + (value ? this.hitTtlMs : this.missTtlMs) });
    return value;
  }

  clear() {
    this.entries.clear();
  }

  /** Looks up every work centre a batch names, before its transaction opens (PGlite has one session). */
  async resolveAll(q: Queryable, readings: Reading[]): Promise<(code: string) => Promise<WorkCenterRef | null>> {
    const found = new Map<string, WorkCenterRef | null>();
    for (const r of readings) if (r.ok && !found.has(r.workCenter)) found.set(r.workCenter, await this.resolve(q, r.workCenter));
    return async (code) => found.get(code) ?? null;
  }
}

/**
 * Writes one batch of readings in the given unit of work: telemetry as one multi-row insert,
 * counts and states in arrival order through the shop-floor port (each under a savepoint, so one
 * refused report does not undo the others), and every rejected message as a dead letter.
 */
export async function writeReadings(
  uow: UnitOfWork,
  readings: Reading[],
  port: ShopFloorPort,
  /** The work centre of a code (null: unknown). */
  workCenter: (code: string) => Promise<WorkCenterRef | null>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(readings.length);
  const dead: DeadLetterRow[] = [];
  const telemetry: TelemetryRow[] = [];
  const reject = (i: number, reason: string) => {
    const r = readings[i];
    outcomes[i] = { accepted: false, reason };
    dead.push({ source: r.source, kind: r.kind, reason, payload: deadPayload(r) });
  };
  const steps: { i: number; r: Accepted }[] = [];
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i];
    if (!r.ok) {
      reject(i, r.reason);
      continue;
    }
    const wc = await workCenter(r.workCenter);
    if (!wc) {
      reject(i, `unknown work centre ${r.workCenter}`);
      continue;
    }
    if (r.plant !== undefined && r.plant !== wc.plant) {
      reject(i, `work centre ${wc.code} is in plant ${wc.plant}, not ${r.plant}`);
      continue;
    }
    const out = outsideScope(r, wc.plant);
    if (out) {
      reject(i, out);
      continue;
    }
    if (r.kind === 'telemetry') {
      telemetry.push({ workCenter: wc.code, plant: wc.plant, at: r.at, values: r.values });
      outcomes[i] = { accepted: true };
    } else steps.push({ i, r });
  }
  await insertTelemetry(uow, telemetry);
  const seen = await countsSeen(uow, steps.map((s) => s.r));
  for (const { i, r } of steps) {
    if (r.kind === 'count' && r.id !== undefined && seen.has(`${r.workCenter}\u0000${r.id}`)) {
      outcomes[i] = { accepted: true }; // a redelivery: stored already
      continue;
    }
    const error = await inSavepoint(uow, (child) =>
      r.kind === 'count'
        ? reportCountOnce(child, port, r)
        : r.kind === 'state'
          ? port.recordState(child, { workCenter: r.workCenter, state: r.state, reason: r.reason, at: r.at })
          : Promise.resolve(),
    );
    if (error) reject(i, error);
    else outcomes[i] = { accepted: true };
  }
  await insertDeadLetters(uow, dead);
  return outcomes;
}

type CountReading = Extract<Accepted, { kind: 'count' }>;

/** The counts of a batch whose id is stored already (and ids repeated within the batch after their first). */
async function countsSeen(q: Queryable, readings: Accepted[]): Promise<Set<string>> {
  const withId = readings.filter((r): r is CountReading => r.kind === 'count' && r.id !== undefined);
  if (!withId.length) return new Set();
  const rows = await storedCountIds(q, withId.map((r) => ({ workCenter: r.workCenter, id: r.id! })));
  return new Set(rows.map((r) => `${r.workCenter}\u0000${r.id}`));
}

/** Records the count's id (if any) and reports it; a second count with the same id in one batch is not counted again. */
async function reportCountOnce(uow: UnitOfWork, port: ShopFloorPort, r: CountReading) {
  if (r.id !== undefined) {
    if (!(await claimCountId(uow, r.workCenter, r.id))) return;
  }
  await port.reportCount(uow, { workCenter: r.workCenter, operation: r.operation, good: r.good, scrap: r.scrap, at: r.at });
}

/** A dead letter keeps at most the first 4 KiB of a payload. */
const DEAD_PAYLOAD_BYTES = 4096;

function deadPayload(r: Reading) {
  let payload = r.ok ? payloadOf(r) : r.payload;
  const text = JSON.stringify(payload ?? null);
  if (Buffer.byteLength(text) > DEAD_PAYLOAD_BYTES) payload = { truncated: true, bytes: Buffer.byteLength(text), head: Buffer.from(text).subarray(0, DEAD_PAYLOAD_BYTES).toString() };
  return { topic: r.topic ?? null, plant: r.plant ?? null, workCenter: r.workCenter, kind: r.kind, payload };
}

function payloadOf(r: Accepted): unknown {
  switch (r.kind) {
    case 'state':
      return { state: r.state, reason: r.reason, at: r.at.toISOString() };
    case 'count':
      return { id: r.id, operation: r.operation, good: r.good, scrap: r.scrap, at: r.at.toISOString() };
    case 'telemetry':
      return { ...r.values, at: r.at.toISOString() };
  }
}

let savepoints = 0;

/**
 * Runs one port call under a savepoint, with a child unit of work whose messages, audit rows and
 * after-commit hooks reach the parent only if the call succeeds. Returns the error message, or null.
 */
async function inSavepoint(uow: UnitOfWork, fn: (child: UnitOfWork) => Promise<void>): Promise<string | null> {
  const name = `collect_${++savepoints % 1_000_000}`;
  const emitted: { type: string; payload: unknown; id: string; correlationId: string | null }[] = [];
  const audits: Parameters<UnitOfWork['audit']>[0][] = [];
  const after: (() => void)[] = [];
  const child: UnitOfWork = {
    actor: uow.actor,
    module: uow.module,
    correlationId: uow.correlationId,
    query: <T extends Row>(sql: string, params?: unknown[]) => uow.query<T>(sql, params),
    emit(type, payload, o) {
      return this.emitRaw(type, payload, o);
    },
    emitRaw(type, payload, o) {
      const m = {
        id: randomUUID(),
        type,
        source: uow.module,
        correlationId: o?.correlationId !== undefined ? o.correlationId : this.correlationId,
        payload,
      };
      emitted.push(m);
      return m;
    },
    audit: (entry) => void audits.push(entry),
    afterCommit: (f) => void after.push(f),
  };
  await uow.query(`savepoint ${name}`);
  try {
    await fn(child);
  } catch (e: unknown) {
    await uow.query(`rollback to savepoint ${name}`);
    if (e instanceof AppError && e.status < 500) return e.message;
    return `could not be recorded: ${messageOf(e)}`;
  }
  await uow.query(`release savepoint ${name}`);
  for (const m of emitted) {
    // keep the id the port saw (it may have stored it as a reference)
    Object.assign(uow.emitRaw(m.type, m.payload, { correlationId: m.correlationId }), { id: m.id });
  }
  for (const a of audits) uow.audit(a);
  for (const f of after) uow.afterCommit(f);
  return null;
}
