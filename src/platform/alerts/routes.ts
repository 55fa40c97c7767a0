import { z } from 'zod';
import { inScope, ROLES } from '../auth/index.ts';
import type { Router } from '../http/index.ts';
import { acknowledgeAlert, ALERT_KINDS, listAlerts } from './alerts.ts';
import { asksForPage } from '../http/paging.ts';
import { alertPage, AlertQuery } from './page.ts';
import { alertRouting, setAlertRouting } from './routing.ts';
import { createRule, deleteRule, listRules } from './rules.ts';
import { createWebhook, deleteWebhook, listWebhooks } from './webhooks.ts';

const conditionKinds = ALERT_KINDS.filter((k) => k !== 'rule') as [string, ...string[]];
const id = z.strictObject({ id: z.coerce.number().int().positive() });

/** Alerts: the list, acknowledgement, routing of kinds to roles, rules, webhooks. */
export function alertRoutes(router: Router) {
  router.route({
    method: 'GET',
    url: '/api/v1/alerts',
    permission: 'alerts.read',
    summary: "Alerts, newest first: one's own role's (managers and admins: all), within one's plants (?q= searches ref, message and kind; sort=id|-id|severity|-severity, limit, offset page)",
    query: AlertQuery,
    handler: async ({ q, query, actor }) => {
      if (asksForPage(query)) return alertPage(q, query, actor);
      const all = await listAlerts(q, { open: query.open === undefined ? undefined : query.open === 'true', kind: query.kind, role: query.role });
      const seesAll = actor.roles.includes('manager') || actor.roles.includes('admin');
      return all.filter((a) => (seesAll || actor.roles.includes(a.role)) && (a.plant === null || !actor.scope?.plants?.length || inScope(actor, { plant: a.plant })));
    },
  });

  router.route({
    method: 'POST',
    url: '/api/v1/alerts/:id/ack',
    permission: 'alerts.ack',
    summary: 'Acknowledge an alert (someone of its role, or a manager or admin); answers the response time',
    params: id,
    handler: async ({ params, uow }) => acknowledgeAlert(uow, params.id),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/alerts/routing',
    permission: 'alerts.read',
    summary: 'The role each alert kind is routed to',
    handler: async ({ q }) => alertRouting(q),
  });

  router.route({
    method: 'PUT',
    url: '/api/v1/alerts/routing',
    permission: 'alerts.manage',
    summary: 'Route alert kinds to roles ({kind: role}); open alerts of those kinds move too',
    body: z.partialRecord(z.enum(ALERT_KINDS), z.enum(ROLES)),
    handler: async ({ body, uow }) => setAlertRouting(uow, body),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/alerts/rules',
    permission: 'alerts.read',
    summary: 'Alert rules across ERP and MES',
    handler: async ({ q }) => listRules(q),
  });

  router.route({
    method: 'POST',
    url: '/api/v1/alerts/rules',
    permission: 'alerts.manage',
    summary: 'Add a rule: when alerts of all `kinds` are open for one correlation (and the fact holds) → a `rule` alert to `role`',
    body: z.strictObject({
      name: z.string().min(1).max(200),
      kinds: z.array(z.enum(conditionKinds)).min(1).max(10),
      fact: z.strictObject({ name: z.string().min(1).max(100), op: z.enum(['<', '<=', '>', '>=', '=']), value: z.number() }).optional(),
      role: z.enum(ROLES),
      severity: z.enum(['info', 'warning', 'critical']).optional(),
      message: z.string().min(1).max(500).optional(),
      enabled: z.boolean().optional(),
    }),
    status: 201,
    handler: async ({ body, uow }) => createRule(uow, body as Parameters<typeof createRule>[1]),
  });

  router.route({
    method: 'DELETE',
    url: '/api/v1/alerts/rules/:id',
    permission: 'alerts.manage',
    summary: 'Remove an alert rule',
    params: id,
    handler: async ({ params, uow }) => deleteRule(uow, params.id),
  });

  router.route({
    method: 'GET',
    url: '/api/v1/webhooks',
    permission: 'alerts.manage',
    summary: 'Webhooks (without their secrets)',
    handler: async ({ q }) => listWebhooks(q),
  });

  router.route({
    method: 'POST',
    url: '/api/v1/webhooks',
    permission: 'alerts.manage',
    summary: `A webhook for alert kinds ('*' for all): raised alerts are POSTed, signed (x-closeloop-signature: t=…,v1=HMAC-SHA256(secret, "t.body")), with retries; the secret is shown once`,
    body: z.strictObject({
      url: z
        .string()
        .max(2000)
        .url()
        .refine((u) => /^https?:\/\//i.test(u), 'http or https only'),
      kinds: z.array(z.enum([...ALERT_KINDS, '*'])).min(1),
    }),
    status: 201,
    handler: async ({ body, uow }) => createWebhook(uow, body),
  });

  router.route({
    method: 'DELETE',
    url: '/api/v1/webhooks/:id',
    permission: 'alerts.manage',
    summary: 'Remove a webhook (its queued deliveries go with it)',
    params: id,
    handler: async ({ params, uow }) => deleteWebhook(uow, params.id),
  });
}
