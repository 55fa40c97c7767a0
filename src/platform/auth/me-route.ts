import type { Router } from '../http/index.ts';
import { can, PERMISSIONS } from './permissions.ts';

interface KeyRow {
  name: string;
}

/**
 * `GET /api/v1/auth/me`: who the caller is and what it may do, from the one permission matrix, so
 * that screens show only what the caller may use (users and machine accounts alike).
 */
export function meRoute(router: Router) {
  router.route({
    method: 'GET',
    url: '/api/v1/auth/me',
    permission: 'auth.self',
    summary: 'The caller: user name (or machine account name), roles, permissions and data scope',
    handler: async ({ actor, q }) => {
      let username = actor.id;
      if (actor.kind === 'machine') {
        const [row] = await q.query<KeyRow>('select name from platform.api_keys where id = $1', [actor.id]);
        username = row?.name ?? actor.id;
      }
      return {
        username,
        kind: actor.kind === 'machine' ? 'machine' : 'user',
        roles: actor.roles,
        permissions: PERMISSIONS.filter((p) => can(actor.roles, p)),
        scope: { plants: actor.scope?.plants ?? [], workCenters: actor.scope?.workCenters ?? [] },
      };
    },
  });
}
