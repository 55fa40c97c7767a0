import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import { WebhookDispatcher } from './alerts/index.ts';
import { alertRoutes } from './alerts/routes.ts';
import { AuditSealer } from './audit/index.ts';
import { auditRoutes } from './audit/routes.ts';
import { createApiKey, createUser, LoginLimiter, ROLES, SessionGuard, type TokenService } from './auth/index.ts';
import { meRoute } from './auth/me-route.ts';
import { sessionRoutes } from './auth/routes.ts';
import type { Database } from './db/index.ts';
import type { EventHub } from './events.ts';
import type { Router } from './http/index.ts';

/** The platform's background services of one database: session guard, audit sealer, webhook sender. */
export interface PlatformServices {
  guard: SessionGuard;
  sealer: AuditSealer;
  webhooks: WebhookDispatcher;
  limiter: LoginLimiter;
}
const services = new WeakMap<Database, PlatformServices>();
/** The services started by `platformRoutes` for this database (tests seal and send on demand). */
export const platformServices = (db: Database): PlatformServices | undefined => services.get(db);

const scopeSchema = z.strictObject({ plants: z.array(z.string()).optional(), workCenters: z.array(z.string()).optional() });

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
  services.set(db, { guard, sealer, webhooks, limiter });
  guard.start();
  sealer.start();
  webhooks.start();
  app.addHook('onClose', async () => {
    await Promise.all([guard.stop(), sealer.stop(), webhooks.stop()]);
  });

  sessionRoutes(router, { db, tokens, guard, limiter });
  meRoute(router);

  router.route({
    method: 'POST',
    url: '/api/v1/users',
    permission: 'users.manage',
    summary: 'Create a user with roles and an optional data scope',
    body: z.strictObject({
      username: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits and _ . @ - only'),
      password: z.string().min(8).max(200),
      roles: z.array(z.enum(ROLES)).min(1),
      scope: scopeSchema.optional(),
    }),
    status: 201,
    handler: async ({ body, uow }) => {
      const user = await createUser(uow, body);
      uow.audit({ action: 'create', entity: 'user', ref: body.username, after: { roles: body.roles, scope: body.scope ?? {} } });
      return user;
    },
  });

  router.route({
    method: 'POST',
    url: '/api/v1/api-keys',
    permission: 'users.manage',
    summary: 'Create a machine account (device, connector); the key is shown once',
    body: z.strictObject({ name: z.string().min(1).max(100), roles: z.array(z.enum(ROLES)).min(1).default(['integration']), scope: scopeSchema.optional() }),
    status: 201,
    handler: async ({ body, uow }) => {
      const k = await createApiKey(uow, body.name, body.roles, body.scope);
      uow.audit({ action: 'create', entity: 'api_key', ref: k.id, after: { name: k.name, roles: k.roles } });
      return k;
    },
  });

  alertRoutes(router);
  auditRoutes(router);

  router.route({
    method: 'GET',
    url: '/api/v1/events',
    permission: 'events.read',
    summary: 'Server-sent events of what changes (every delivered message, by type)',
    handler: async ({ reply, request }) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': connected\n\n');
      const stop = hub.listen((e) => res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`));
      const beat = setInterval(() => res.write(': beat\n\n'), 15_000);
      request.raw.on('close', () => {
        clearInterval(beat);
        stop();
      });
      return undefined;
    },
  });
}
