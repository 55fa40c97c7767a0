import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { Actor, Database } from '../db/index.ts';

const authActor: Actor = { kind: 'system', id: 'auth', roles: [] };

export type RefusalReason = 'sign_in_failed' | 'sign_in_throttled' | 'unauthorized' | 'forbidden';

/**
 * Refused sign-ins, 401s and 403s in the audit log, at most one row per address and reason per
 * `windowMs` (a flood cannot fill the log): the next row says how many were left out since.
 * Every refusal is counted in /metrics (`closeloop_security_refusals_total{reason,audited}`).
 */
export class SecurityAudit {
  private readonly last = new Map<string, { at: number; suppressed: number }>();
  private readonly counter: Counter<'reason' | 'audited'>;
  private pending = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Database,
    metrics: Registry,
    private readonly windowMs = 60_000,
  ) {
    this.counter = new Counter({
      name: 'closeloop_security_refusals_total',
      help: 'Refused sign-ins, 401 and 403 answers (audited: whether it made an audit row)',
      labelNames: ['reason', 'audited'],
      registers: [metrics],
    });
  }

  /** An onResponse hook: audits what the answer refused. */
  readonly hook = async (req: FastifyRequest, reply: FastifyReply) => {
    const status = reply.statusCode;
    if (status !== 401 && status !== 403 && status !== 429) return;
    const route = req.routeOptions.url ?? 'unknown';
    const login = route === '/api/v1/auth/login';
    if (status === 429 && !login) return;
    const reason: RefusalReason = login ? (status === 429 ? 'sign_in_throttled' : 'sign_in_failed') : status === 401 ? 'unauthorized' : 'forbidden';
    const body = req.body as { username?: unknown } | undefined;
    const username = login && body && typeof body.username === 'string' ? body.username.slice(0, 100) : undefined;
    this.record(reason, req.ip, { method: req.method, route, status, ...(username !== undefined && { username }) });
  };

  record(reason: RefusalReason, address: string, detail: Record<string, unknown>, now = Date.now()) {
    const key = `${reason}\u0000${address}`;
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.windowMs) {
      seen.suppressed++;
      this.counter.inc({ reason, audited: 'false' });
      return;
    }
    this.last.set(key, { at: now, suppressed: 0 });
    if (this.last.size > 10_000) for (const [k, v] of this.last) if (now - v.at >= this.windowMs) this.last.delete(k);
    this.counter.inc({ reason, audited: 'true' });
    const write = this.db
      .unitOfWork({ actor: authActor, module: 'platform' }, async (uow) => {
        uow.audit({ action: reason, entity: 'security', ref: address, after: { ...detail, leftOutBefore: seen?.suppressed ?? 0 } });
      })
      .catch(() => undefined);
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Waits for the audit rows being written (tests, shutdown). */
  async flush() {
    await Promise.all([...this.pending]);
  }
}
