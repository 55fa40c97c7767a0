import type { Queryable, Scope } from '../db/index.ts';
import { notFound, unprocessable } from '../kernel/index.ts';
import { isRole } from './permissions.ts';
import type { UserState } from './sessions.ts';

export interface UserChange {
  roles?: string[];
  scope?: Scope;
  disabled?: boolean;
}

interface UserRow {
  username: string;
  roles: string[];
  scope: Scope | null;
  disabled: boolean;
  token_generation: number;
}

/**
 * An admin changes a user's roles, scope or disabled flag. Disabling moves the token generation
 * on, so the user's tokens stay refused even after the account is enabled again. Returns the
 * state before and after (the caller audits and tells the session guard after commit).
 */
export async function updateUser(q: Queryable, username: string, change: UserChange): Promise<{ before: UserState; after: UserState }> {
  if (change.roles) {
    const bad = change.roles.filter((r) => !isRole(r));
    if (bad.length) throw unprocessable(`unknown role ${bad.join(', ')}`, { roles: bad });
    if (!change.roles.length) throw unprocessable('a user needs at least one role');
  }
  const [before] = await q.query<UserRow>(
    'select username, roles, scope, disabled, token_generation from platform.users where username = $1 for update',
    [username],
  );
  if (!before) throw notFound('user', username);
  const disabling = change.disabled === true && !before.disabled;
  const [after] = await q.query<UserRow>(
    `update platform.users set roles = coalesce($2, roles), scope = coalesce($3::jsonb, scope), disabled = coalesce($4, disabled),
       token_generation = token_generation + $5, updated_at = now()
     where username = $1 returning username, roles, scope, disabled, token_generation`,
    [username, change.roles ?? null, change.scope ? JSON.stringify(change.scope) : null, change.disabled ?? null, disabling ? 1 : 0],
  );
  return { before: state(before), after: state(after) };
}

const state = (r: UserRow): UserState => ({ generation: r.token_generation, disabled: r.disabled, roles: r.roles, scope: r.scope ?? {} });

export interface ApiKeyView {
  id: string;
  name: string;
  roles: string[];
  scope: Scope;
  createdAt: string;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  roles: string[];
  scope: Scope | null;
  created_at: Date;
  revoked_at: Date | null;
}

const keyView = (r: ApiKeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  roles: r.roles,
  scope: r.scope ?? {},
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
});

/** Every machine account, newest first; never the key (only its hash is kept). */
export async function listApiKeys(q: Queryable): Promise<ApiKeyView[]> {
  const rows = await q.query<ApiKeyRow>('select id, name, roles, scope, created_at, revoked_at from platform.api_keys order by created_at desc, id');
  return rows.map(keyView);
}

/** Revokes a key: the next call with it is refused (keys are looked up on every call). Repeating is harmless. */
export async function revokeApiKey(q: Queryable, id: string, by: string): Promise<ApiKeyView> {
  const [row] = await q.query<ApiKeyRow>(
    `update platform.api_keys set revoked_at = coalesce(revoked_at, now()), revoked_by = coalesce(revoked_by, $2)
     where id = $1 returning id, name, roles, scope, created_at, revoked_at`,
    [id, by],
  );
  if (!row) throw notFound('api key', id);
  return keyView(row);
}
