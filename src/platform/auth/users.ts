import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Database, Queryable, Scope } from '../db/index.ts';
import { AppError, conflict, unprocessable } from '../kernel/index.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { isRole } from './permissions.ts';
import type { TokenService } from './tokens.ts';

export interface NewUser {
  username: string;
  password: string;
  roles: string[];
  scope?: Scope;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function createUser(q: Queryable, u: NewUser) {
  const bad = u.roles.filter((r) => !isRole(r));
  if (bad.length) throw unprocessable(`unknown role ${bad.join(', ')}`, { roles: bad });
  if (!u.roles.length) throw unprocessable('a user needs at least one role');
  const rows = await q.query(
    `insert into platform.users (username, password_hash, roles, scope) values ($1, $2, $3, $4)
     on conflict (username) do nothing returning username`,
    [u.username, await hashPassword(u.password), u.roles, JSON.stringify(u.scope ?? {})],
  );
  if (!rows.length) throw conflict(`user ${u.username} exists`, { username: u.username });
  return { username: u.username, roles: u.roles, scope: u.scope ?? {} };
}

export interface LoginOutcome {
  token: string;
  expiresAt: string;
  user: { username: string; roles: string[] };
}

/** A refused sign-in: the same answer for an unknown user, a wrong password or a disabled account. */
export class LoginRefused extends AppError {
  constructor(readonly username: string) {
    super('unauthorized', 'wrong username or password');
  }
}

/**
 * Password sign-in. The same answer, in about the same time, for an unknown user, a wrong
 * password or a disabled account (no enumeration). No account lock: throttling is by address
 * (LoginLimiter), so a stranger cannot keep anyone out.
 */
export async function login(db: Database, tokens: TokenService, username: string, password: string): Promise<LoginOutcome> {
  const [user] = await db.query<{ username: string; password_hash: string; roles: string[]; scope: Scope; disabled: boolean; token_generation: number }>(
    'select username, password_hash, roles, scope, disabled, token_generation from platform.users where username = $1',
    [username],
  );
  if (!user || user.disabled) {
    await verifyPassword(DUMMY_HASH, password); // same time as a real check
    throw new LoginRefused(username);
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    await db.query('update platform.users set failed_logins = failed_logins + 1 where username = $1', [username]);
    throw new LoginRefused(username);
  }
  await db.query('update platform.users set failed_logins = 0 where username = $1 and failed_logins <> 0', [username]);
  const issued = await tokens.issue(user.username, user.roles, user.scope ?? {}, user.token_generation);
  return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), user: { username: user.username, roles: user.roles } };
}

/** A new token for a signed-in user, with their current roles and scope; the caller revokes the old one. */
export async function reissue(q: Queryable, tokens: TokenService, username: string): Promise<LoginOutcome> {
  const [user] = await q.query<{ username: string; roles: string[]; scope: Scope; disabled: boolean; token_generation: number }>(
    'select username, roles, scope, disabled, token_generation from platform.users where username = $1',
    [username],
  );
  if (!user || user.disabled) throw new AppError('unauthorized', 'authentication required');
  const issued = await tokens.issue(user.username, user.roles, user.scope ?? {}, user.token_generation);
  return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), user: { username: user.username, roles: user.roles } };
}

/**
 * Changes a user's own password after checking the current one; every token issued before is
 * refused from then on (the generation moves on). Returns the new generation.
 */
export async function changePassword(q: Queryable, username: string, current: string, next: string): Promise<number> {
  const [user] = await q.query<{ password_hash: string }>('select password_hash from platform.users where username = $1 for update', [username]);
  if (!user || !(await verifyPassword(user.password_hash, current))) throw unprocessable('the current password is wrong');
  if (current === next) throw unprocessable('the new password must differ from the current one');
  const [r] = await q.query<{ token_generation: number }>(
    `update platform.users set password_hash = $2, password_changed_at = now(), token_generation = token_generation + 1,
       failed_logins = 0
     where username = $1 returning token_generation`,
    [username, await hashPassword(next)],
  );
  return r.token_generation;
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$BkXNBl0AocsWeiWT6wu9UQ$ehVCRZKgSgcjKe7JZxuCrSgSyOfUKp0TC3dhuvVq9MY';

/** First start on an empty database: an admin, with the configured or a generated password. */
export async function bootstrapAdmin(db: Database, password: string | undefined): Promise<string | null> {
  const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from platform.users');
  if (n > 0) return null;
  const pw = password ?? randomBytes(12).toString('base64url');
  await createUser(db, { username: 'admin', password: pw, roles: ['admin'] });
  return password ? null : pw;
}

/** A machine account (device, connector): the key is returned once, kept as a hash. */
export async function createApiKey(q: Queryable, name: string, roles: string[], scope: Scope = {}) {
  const key = `clk_${randomBytes(24).toString('base64url')}`;
  const id = `key_${randomBytes(6).toString('hex')}`;
  await q.query('insert into platform.api_keys (id, name, key_hash, roles, scope) values ($1, $2, $3, $4, $5)', [
    id,
    name,
    sha256(key),
    roles,
    JSON.stringify(scope),
  ]);
  return { id, name, key, roles };
}

export async function actorForApiKey(q: Queryable, key: string): Promise<Actor | null> {
  const [row] = await q.query<{ id: string; roles: string[]; scope: Scope }>(
    'select id, roles, scope from platform.api_keys where key_hash = $1 and revoked_at is null',
    [sha256(key)],
  );
  return row ? { kind: 'machine', id: row.id, roles: row.roles, scope: row.scope ?? {} } : null;
}

/** The signing key, made once and kept in the database so restarts and other instances accept tokens. */
export async function signingSecret(db: Database, configured?: string): Promise<string> {
  if (configured) return configured;
  const fresh = randomBytes(32).toString('base64url');
  await db.query(`insert into platform.settings (key, value) values ('jwt_secret', $1) on conflict (key) do nothing`, [fresh]);
  const [row] = await db.query<{ value: string }>(`select value from platform.settings where key = 'jwt_secret'`);
  return row.value;
}
