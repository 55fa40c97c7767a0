import { ApiError } from './api.ts';
import type { Session } from './session.ts';

export interface Me {
  username: string;
  roles: string[];
  permissions: string[];
  scope: { plants: string[]; workCenters: string[] };
}

/** `GET /api/v1/auth/me` with a token: who the user is and what the server lets them do. */
export async function loadMe(token: string): Promise<Me> {
  const res = await fetch('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if (!res.ok) throw new ApiError(res.status, String(res.status), res.statusText);
  return (await res.json()) as Me;
}

export const sessionOf = (token: string, me: Me): Session => ({ token, username: me.username, roles: me.roles, permissions: me.permissions, scope: me.scope });

/** Sign-out ends the session on the server too (the token is refused from then on). */
export async function logout(token: string): Promise<void> {
  await fetch('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
}
