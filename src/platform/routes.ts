import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import { acknowledgeAlert, listAlerts } from './alerts/index.ts';
import { createApiKey, createUser, login, ROLES, type TokenService } from './auth/index.ts';
import type { Database } from './db/index.ts';
import type { EventHub } from './events.ts';
import type { Router } from './http/index.ts';
import { can } from './auth/index.ts';

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

  router.route({
    method: 'POST',
    url: '/api/v1/auth/login',
    permission: 'public',
    summary: 'Sign in with a password; answers a bearer token',
    body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
    ownTransactions: true,
    handler: async ({ body }) => login(db, tokens, body.username, body.password),
  });

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

  router.route({
    method: 'GET',
    url: '/api/v1/alerts',
    permission: 'alerts.read',
    summary: 'Alerts, newest first',
    query: z.strictObject({ open: z.enum(['true', 'false']).optional(), kind: z.string().optional(), role: z.string().optional() }),
    handler: async ({ q, query, actor }) => {
      const all = await listAlerts(q, { open: query.open === undefined ? undefined : query.open === 'true', kind: query.kind, role: query.role });
      // Everyone who reads alerts sees their own role's; managers and admins see all.
      return can(actor.roles, 'cockpit.read') && (actor.roles.includes('manager') || actor.roles.includes('admin'))
        ? all
        : all.filter((a) => actor.roles.includes(a.role));
    },
  });

  router.route({
    method: 'POST',
    url: '/api/v1/alerts/:id/ack',
    permission: 'alerts.ack',
    summary: 'Acknowledge an alert (someone of its role)',
    params: z.strictObject({ id: z.coerce.number().int().positive() }),
    handler: async ({ params, uow }) => acknowledgeAlert(uow, params.id),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/audit',
    permission: 'audit.read',
    summary: 'The audit log of every write',
    query: z.strictObject({
      entity: z.string().optional(),
      ref: z.string().optional(),
      actor: z.string().optional(),
      limit: z.coerce.number().int().min(1).max(5000).default(500),
    }),
    handler: async ({ q, query }) => {
      const rows = await q.query(
        `select at, actor, action, entity, ref, before, after from platform.audit_log
          where ($1::text is null or entity = $1) and ($2::text is null or ref = $2) and ($3::text is null or actor = $3)
          order by seq desc limit $4`,
        [query.entity ?? null, query.ref ?? null, query.actor ?? null, query.limit],
      );
      return rows.map((r) => ({ at: r.at.toISOString(), user: r.actor, action: r.action, entity: r.entity, ref: r.ref, before: r.before, after: r.after }));
    },
  });

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
