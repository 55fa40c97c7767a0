import { z } from 'zod';
import type { Router } from '../http/index.ts';
import { listApiKeys, revokeApiKey, updateUser } from './accounts.ts';
import { ROLES } from './permissions.ts';
import type { SessionGuard } from './sessions.ts';
import { createApiKey, createUser } from './users.ts';

const scopeSchema = z.strictObject({ plants: z.array(z.string().max(100)).max(500).optional(), workCenters: z.array(z.string().max(100)).max(500).optional() });

/** Users and machine accounts (admin): create, change, disable; keys listed and revoked. */
export function accountRoutes(router: Router, deps: { guard: SessionGuard }) {
  const { guard } = deps;

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
      uow.afterCommit(() => guard.noteUser(user.username, { generation: 0, disabled: false, roles: user.roles, scope: user.scope }));
      return user;
    },
  });

  router.route({
    method: 'PATCH',
    url: '/api/v1/users/:username',
    permission: 'users.manage',
    summary: "Change a user's roles, data scope or disabled flag; effective on the user's next request (a disabled user's tokens answer 401)",
    params: z.object({ username: z.string().min(1).max(100) }),
    body: z.strictObject({ roles: z.array(z.enum(ROLES)).min(1).optional(), scope: scopeSchema.optional(), disabled: z.boolean().optional() }),
    handler: async ({ params, body, uow }) => {
      const { before, after } = await updateUser(uow, params.username, body);
      uow.audit({
        action: 'update',
        entity: 'user',
        ref: params.username,
        before: { roles: before.roles, scope: before.scope, disabled: before.disabled },
        after: { roles: after.roles, scope: after.scope, disabled: after.disabled },
      });
      uow.afterCommit(() => guard.noteUser(params.username, after));
      return { username: params.username, roles: after.roles, scope: after.scope, disabled: after.disabled };
    },
  });

  router.route({
    method: 'POST',
    url: '/api/v1/api-keys',
    permission: 'users.manage',
    summary: 'Create a machine account (default role device); the key is shown once',
    body: z.strictObject({ name: z.string().min(1).max(100), roles: z.array(z.enum(ROLES)).min(1).default(['device']), scope: scopeSchema.optional() }),
    status: 201,
    handler: async ({ body, uow }) => {
      const k = await createApiKey(uow, body.name, body.roles, body.scope);
      uow.audit({ action: 'create', entity: 'api_key', ref: k.id, after: { name: k.name, roles: k.roles, scope: body.scope ?? {} } });
      return { ...k, scope: body.scope ?? {} };
    },
  });

  router.route({
    method: 'GET',
    url: '/api/v1/api-keys',
    permission: 'users.manage',
    summary: 'Machine accounts with their roles, scope and revocation (never the key)',
    handler: async ({ q }) => listApiKeys(q),
  });

  router.route({
    method: 'DELETE',
    url: '/api/v1/api-keys/:id',
    permission: 'users.manage',
    summary: 'Revoke a machine account: the next call with its key answers 401, its MQTT session is closed',
    params: z.object({ id: z.string().min(1).max(100) }),
    handler: async ({ params, uow, actor }) => {
      const k = await revokeApiKey(uow, params.id, `${actor.kind}:${actor.id}`);
      uow.audit({ action: 'revoke', entity: 'api_key', ref: k.id, after: { revokedAt: k.revokedAt } });
      // for whoever holds a session of the key (the MQTT broker closes it; live streams end)
      uow.emit('platform.api-key.revoked', { id: k.id, at: k.revokedAt }, { correlationId: null });
      return k;
    },
  });
}
