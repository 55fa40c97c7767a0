import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import { WebhookDispatcher } from './alerts/index.ts';
import { alertRoutes } from './alerts/routes.ts';
import { AuditSealer } from './audit/index.ts';
import { auditRoutes } from './audit/routes.ts';
import { LoginLimiter, SessionGuard, type TokenService } from './auth/index.ts';
import { accountRoutes } from './auth/account-routes.ts';
import { meRoute } from './auth/me-route.ts';
import { sessionRoutes } from './auth/routes.ts';
import { SecurityAudit } from './auth/security-audit.ts';
import type { Database } from './db/index.ts';
import type { EventHub } from './events.ts';
import type { Router } from './http/index.ts';

/** The platform's background services of one database: session guard, audit sealer, webhook sender. */
export interface PlatformServices {
  guard: SessionGuard;
  sealer: AuditSealer;
  webhooks: WebhookDispatcher;
  limiter: LoginLimiter;
  /** Refused sign-ins, 401s and 403s in the audit log, rate-limited. */
  securityAudit: SecurityAudit;
  /** Delivered messages, for the live stream. */
  hub: EventHub;
}
const services = new WeakMap<Database, PlatformServices>();
/** The services started by `platformRoutes` for this database (tests seal and send on demand). */
export const platformServices = (db: Database): PlatformServices | undefined => services.get(db);

/** Routes of the platform itself: health, metrics, sign-in, users, alerts, audit, live events. */
export function platformRoutes(
  app: FastifyInstance,
  router: Router,
  deps: { db: Database; tokens: TokenService; metrics: Registry; hub: EventHub; bus: () => 'memory' | 'nats' },
) {
  const { db, tokens, metrics, hub } = deps;

  app.get('/health', { schema: { hide: true } }, async () => {
    await db.query('select 1');
    return { status: 'ok', database: db.kind, bus: deps.bus() };
  });

  new Gauge({
    name: 'closeloop_outbox_lag_messages',
    help: 'Messages committed but not yet delivered',
    registers: [metrics],
    async collect() {
      const [r] = await db.query<{ n: number }>(`select count(*)::int as n from platform.outbox where status in ('pending','failed')`);
      this.set(r.n);
    },
  });
  new Gauge({
    name: 'closeloop_outbox_oldest_open_seconds',
    help: 'Age of the oldest undelivered message',
    registers: [metrics],
    async collect() {
      const [r] = await db.query<{ s: number | null }>(
        `select extract(epoch from now() - min(occurred_at))::float8 as s from platform.outbox where status in ('pending','failed')`,
      );
      this.set(r.s ?? 0);
    },
  });
  new Gauge({
    name: 'closeloop_dead_letters_open',
    help: 'Dead letters waiting for a replay',
    registers: [metrics],
    async collect() {
      const [r] = await db.query<{ n: number }>(`select count(*)::int as n from platform.dead_letters where status = 'open'`);
      this.set(r.n);
    },
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(metrics.contentType);
    return metrics.metrics();
  });

  const guard = new SessionGuard(db);
  tokens.guard = guard;
  const sealer = new AuditSealer(db, { onError: (err) => app.log.error({ err }, 'audit sealing failed') });
  const webhooks = new WebhookDispatcher(db, { log: app.log });
  const limiter = new LoginLimiter();
  const securityAudit = new SecurityAudit(db, metrics);
  app.addHook('onResponse', securityAudit.hook);
  services.set(db, { guard, sealer, webhooks, limiter, securityAudit, hub });
  guard.start();
  sealer.start();
  webhooks.start();
  app.addHook('onClose', async () => {
    await Promise.all([guard.stop(), sealer.stop(), webhooks.stop(), securityAudit.flush()]);
  });

  sessionRoutes(router, { db, tokens, guard, limiter });
  meRoute(router);

  accountRoutes(router, { guard });

  alertRoutes(router);
  auditRoutes(router);
  // The live stream (GET /api/v1/events) is the cockpit's: it filters each event per reader.
}
