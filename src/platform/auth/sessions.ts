import type { Database, Queryable } from '../db/index.ts';
import type { SessionCheck, TokenClaims } from './tokens.ts';

/**
 * Revocation checked on every request without a database round trip: revoked jtis and each
 * user's token generation (bumped by a password change, or disabled) kept in memory, refreshed
 * from the tables every `syncMs` (other instances' revocations arrive within that) and updated at
 * once for changes made by this instance.
 */
export class SessionGuard implements SessionCheck {
  private readonly revoked = new Map<string, number>(); // jti → expiry (ms)
  private readonly users = new Map<string, { generation: number; disabled: boolean }>();
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

  /** Reads what changed: revocations since the last sync (with an overlap for late commits) and every user's generation. */
  sync(): Promise<void> {
    if (this.syncing) return this.syncing;
    this.syncing = (async () => {
      const rows = await this.db.query<{ jti: string; expires_at: Date; revoked_at: Date }>(
        `select jti, expires_at, revoked_at from platform.revoked_tokens
          where expires_at > now() and ($1::timestamptz is null or revoked_at > $1::timestamptz - interval '30 seconds')`,
        [this.since],
      );
      for (const r of rows) {
        this.revoked.set(r.jti, r.expires_at.getTime());
        if (!this.since || r.revoked_at > this.since) this.since = r.revoked_at;
      }
      const users = await this.db.query<{ username: string; token_generation: number; disabled: boolean }>(
        'select username, token_generation, disabled from platform.users',
      );
      for (const u of users) this.users.set(u.username, { generation: u.token_generation, disabled: u.disabled });
      const now = Date.now();
      for (const [jti, exp] of this.revoked) if (exp < now) this.revoked.delete(jti);
    })().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /** Told by this instance after its revoking transaction committed. */
  noteRevoked(jti: string, expiresAt: Date) {
    this.revoked.set(jti, expiresAt.getTime());
  }

  noteGeneration(username: string, generation: number, disabled = false) {
    this.users.set(username, { generation, disabled });
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

/**
 * Sign-in attempts per username and address, in memory: after `max` failures within `windowMs`
 * the pair is refused (429) until the window passes. Works the same for unknown usernames.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    readonly max = 10,
    readonly windowMs = 15 * 60_000,
  ) {}

  private key(username: string, ip: string) {
    return `${username.toLowerCase()}\u0000${ip}`;
  }

  /** Milliseconds until the pair may try again, or 0. */
  retryAfterMs(username: string, ip: string, now = Date.now()): number {
    const list = (this.failures.get(this.key(username, ip)) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length < this.max) return 0;
    return list[0] + this.windowMs - now;
  }

  fail(username: string, ip: string, now = Date.now()) {
    const k = this.key(username, ip);
    const list = (this.failures.get(k) ?? []).filter((t) => t > now - this.windowMs);
    list.push(now);
    this.failures.set(k, list);
    if (this.failures.size > 10_000) {
      for (const [key, ts] of this.failures) if (!ts.some((t) => t > now - this.windowMs)) this.failures.delete(key);
    }
  }

  succeed(username: string, ip: string) {
    this.failures.delete(this.key(username, ip));
  }
}
