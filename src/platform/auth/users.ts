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

const LOCK_AFTER = 5;
const LOCK_MINUTES = 15;

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

/**
 * Password sign-in. The same answer for an unknown user and a wrong password (no enumeration);
 * repeated failures lock the account for a while.
 */
export async function login(db: Database, tokens: TokenService, username: string, password: string) {
  const [user] = await db.query<{ username: string; password_hash: string; roles: string[]; scope: Scope; locked_until: Date | null; disabled: boolean }>(
    'select username, password_hash, roles, scope, locked_until, disabled from platform.users where username = $1',
    [username],
  );
  const wrong = new AppError('unauthorized', 'wrong username or password');
  if (!user) {
    await verifyPassword(DUMMY_HASH, password); // same time as a real check
    throw wrong;
  }
  if (user.disabled || (user.locked_until && user.locked_until.getTime() > Date.now())) throw wrong;
  if (!(await verifyPassword(user.password_hash, password))) {
    await db.query(
      `update platform.users set failed_logins = failed_logins + 1,
         locked_until = case when failed_logins + 1 >= $2 then now() + ($3::text || ' minutes')::interval else locked_until end
       where username = $1`,
      [username, LOCK_AFTER, String(LOCK_MINUTES)],
    );
    throw wrong;
  }
  await db.query('update platform.users set failed_logins = 0, locked_until = null where username = $1', [username]);
  const issued = await tokens.issue(user.username, user.roles, user.scope ?? {});
  return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), user: { username: user.username, roles: user.roles } };
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
