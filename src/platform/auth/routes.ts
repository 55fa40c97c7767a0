import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/index.ts';
import type { Router } from '../http/index.ts';
import { badRequest } from '../kernel/index.ts';
import type { LoginLimiter } from './login-limiter.ts';
import { revokeToken, type SessionGuard } from './sessions.ts';
import { Throttled } from './throttle.ts';
import type { TokenService } from './tokens.ts';
import { changePassword, login, LoginRefused, reissue } from './users.ts';

/** Sign-in, refresh, sign-out and password change. */
export function sessionRoutes(router: Router, deps: { db: Database; tokens: TokenService; guard: SessionGuard; limiter: LoginLimiter }) {
  const { db, tokens, guard, limiter } = deps;

  /** The claims of the caller's own bearer token (already verified by the router). */
  const ownToken = async (request: FastifyRequest) => {
    const auth = request.headers.authorization;
    if (typeof auth !== 'string' || !auth.startsWith('Bearer ')) throw badRequest('only a signed-in user (bearer token) has a session');
    return tokens.verify(auth.slice(7).trim());
  };

  router.route({
    method: 'POST',
    url: '/api/v1/auth/login',
    permission: 'public',
    summary: 'Sign in with a password; answers a bearer token (401 if wrong, 429 after too many failures)',
    body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
    ownTransactions: true,
    handler: async ({ body, request }) => {
      const ip = request.ip;
      const wait = limiter.retryAfterMs(ip);
      if (wait > 0) {
        request.log.warn({ username: body.username, ip }, 'sign-in refused: too many failures from this address');
        throw new Throttled(429, 'too_many_requests', 'too many failed sign-ins from this address; try again later', Math.ceil(wait / 1000));
      }
      try {
        return await login(db, tokens, body.username, body.password);
      } catch (e) {
        if (e instanceof LoginRefused) {
          limiter.fail(ip);
          request.log.info({ username: body.username, ip }, 'sign-in failed');
        }
        throw e;
      }
    },
  });

  router.route({
    method: 'POST',
    url: '/api/v1/auth/refresh',
    permission: 'auth.self',
    summary: 'A new token for the signed-in user (current roles and scope); the one presented is revoked',
    handler: async ({ request, uow }) => {
      const claims = await ownToken(request);
      await revokeToken(uow, claims);
      const fresh = await reissue(uow, tokens, claims.username);
      uow.afterCommit(() => guard.noteRevoked(claims.jti, claims.expiresAt));
      return fresh;
    },
  });

  router.route({
    method: 'POST',
    url: '/api/v1/auth/logout',
    permission: 'auth.self',
    summary: 'Sign out: the token presented is refused from now on',
    handler: async ({ request, uow }) => {
      const claims = await ownToken(request);
      await revokeToken(uow, claims);
      uow.audit({ action: 'logout', entity: 'session', ref: claims.jti, after: { username: claims.username } });
      uow.afterCommit(() => guard.noteRevoked(claims.jti, claims.expiresAt));
      return { loggedOut: true };
    },
  });

  router.route({
    method: 'POST',
    url: '/api/v1/auth/password',
    permission: 'auth.self',
    summary: "Change one's own password; every token issued before is refused after; answers a new token",
    body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(8).max(200) }),
    handler: async ({ body, request, uow }) => {
      const claims = await ownToken(request);
      const generation = await changePassword(uow, claims.username, body.currentPassword, body.newPassword);
      await revokeToken(uow, claims);
      uow.audit({ action: 'change_password', entity: 'user', ref: claims.username, after: { passwordChanged: true } });
      const fresh = await reissue(uow, tokens, claims.username);
      uow.afterCommit(() => {
        guard.noteGeneration(claims.username, generation);
        guard.noteRevoked(claims.jti, claims.expiresAt);
      });
      return fresh;
    },
  });
}
