import type { Database, Queryable, Scope } from '../db/index.ts';
import type { SessionCheck, TokenClaims } from './tokens.ts';

/** What the guard knows of a user: enough to accept a token and to give its current roles and scope. */
export interface UserState {
  generation: number;
  disabled: boolean;
  roles: string[];
  scope: Scope;
}

/**
 * Revocation checked on every request without a database round trip: revoked jtis and each
 * user's token generation (bumped by a password change, or disabled) kept in memory, refreshed
 * from the tables every `syncMs` (other instances' revocations arrive within that) and updated at
 * once for changes made by this instance. A token's roles and scope are replaced by the user's
 * current ones (an admin's change applies on the next request, without a new sign-in).
 */
export class SessionGuard implements SessionCheck {
  private readonly revoked = new Map<string, number>(); // jti → expiry (ms)
  private readonly users = new Map<string, UserState>();
  private readonly listeners = new Set<() => void>();
  private since: Date | null = null;
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  readonly ready: Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly syncMs = 2_000,
  ) {
    this.ready = this.sync().catch(() => undefined);
  }

  start() {
    if (this.timer) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.sync()
          .catch(() => undefined)
          .finally(() => {
            if (this.timer) tick();
          });
      }, this.syncMs);
      this.timer.unref();
    };
    tick();
  }

  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.syncing;
  }

  async accepts(c: TokenClaims): Promise<boolean> {
    await this.ready;
    if (this.revoked.has(c.jti)) return false;
    const u = this.users.get(c.username);
    if (!u) return c.generation === 0; // created since the last sync: no password change yet
    return !u.disabled && c.generation >= u.generation;
  }

  /** The user's roles and scope now (the token's when the user is not known yet). */
  current(c: TokenClaims): { roles: string[]; scope: Scope } {
    const u = this.users.get(c.username);
    return u && u.roles.length ? { roles: u.roles, scope: u.scope } : { roles: c.roles, scope: c.scope };
  }

  /** Called after every change the guard learns of (streams re-check their session). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed() {
    for (const l of this.listeners) l();
  }

  /** Reads what changed: revocations since the last sync (with an overlap for late commits) and every user's generation. */
  sync(): Promise<void> {
    if (this.syncing) return this.syncing;
    this.syncing = (async () => {
      const rows = await this.db.query<{ jti: string; expires_at: Date; revoked_at: Date }>(
        `select jti, expires_at, revoked_at from platform.revoked_tokens
          where expires_at > now() and ($1::timestamptz is null or revoked_at > $1::timestamptz - interval '30 seconds')`,
        [this.since],
      );
      let changed = false;
      for (const r of rows) {
        if (!this.revoked.has(r.jti)) changed = true;
        this.revoked.set(r.jti, r.expires_at.getTime());
        if (!this.since || r.revoked_at > this.since) this.since = r.revoked_at;
      }
      const users = await this.db.query<{ username: string; token_generation: number; disabled: boolean; roles: string[]; scope: Scope | null }>(
        'select username, token_generation, disabled, roles, scope from platform.users',
      );
      for (const u of users) {
        const next: UserState = { generation: u.token_generation, disabled: u.disabled, roles: u.roles, scope: u.scope ?? {} };
        const known = this.users.get(u.username);
        if (known && JSON.stringify(known) !== JSON.stringify(next)) changed = true;
        this.users.set(u.username, next);
      }
      const now = Date.now();
      for (const [jti, exp] of this.revoked) if (exp < now) this.revoked.delete(jti);
      if (changed) this.changed(); // another instance revoked or changed someone: streams re-check
    })().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /** Told by this instance after its revoking transaction committed. */
  noteRevoked(jti: string, expiresAt: Date) {
    this.revoked.set(jti, expiresAt.getTime());
    this.changed();
  }

  noteGeneration(username: string, generation: number) {
    const u = this.users.get(username) ?? { disabled: false, roles: [], scope: {} }; // roles unknown: the token's until the next sync
    this.users.set(username, { ...u, generation });
    this.changed();
  }

  /** Told by this instance after a user's change committed (roles, scope, disabled, generation). */
  noteUser(username: string, state: UserState) {
    this.users.set(username, state);
    this.changed();
  }
}

/** Revokes a token by its jti until it would have expired anyway. */
export async function revokeToken(q: Queryable, c: Pick<TokenClaims, 'jti' | 'username' | 'expiresAt'>) {
  await q.query(
    `insert into platform.revoked_tokens (jti, username, expires_at) values ($1, $2, $3) on conflict (jti) do nothing`,
    [c.jti, c.username, c.expiresAt],
  );
  await q.query(`delete from platform.revoked_tokens where expires_at < now() - interval '1 day'`);
}
