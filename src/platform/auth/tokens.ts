import { SignJWT, jwtVerify } from 'jose';
import { randomUUID, webcrypto } from 'node:crypto';
import type { Scope } from '../db/index.ts';

export interface TokenClaims {
  username: string;
  roles: string[];
  scope: Scope;
  jti: string;
  /** The user's token generation when issued: a password change bumps it and older tokens die. */
  generation: number;
  expiresAt: Date;
}

/** Decides whether a validly signed, unexpired token is still good (revocation, password change). */
export interface SessionCheck {
  accepts(claims: TokenClaims): Promise<boolean> | boolean;
  /** The user's roles and scope now, when they may have changed since the token was issued. */
  current?(claims: TokenClaims): { roles: string[]; scope: Scope };
}

/** Signed bearer tokens (HS256). The key lives in the database so every instance shares it. */
export class TokenService {
  /**
   * Imported once: given raw bytes, jose imports the key again on every verification, which was
   * 6 % of the CPU of a busy server answering operators' reports.
   */
  private readonly key: Promise<webcrypto.CryptoKey>;
  /** Set by the platform's session guard; checked on every verification. */
  guard: SessionCheck | null = null;
  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  async issue(username: string, roles: string[], scope: Scope, generation = 0): Promise<{ token: string; expiresAt: Date; jti: string }> {
    const jti = randomUUID();
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000);
    const token = await new SignJWT({ roles, scope, gen: generation })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(username)
      .setJti(jti)
      .setIssuer('closeloop')
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(await this.key);
    return { token, expiresAt, jti };
  }

  /**
   * Tokens whose signature was checked, by their exact text: a terminal sends the same token with
   * every report, and WebCrypto's HMAC check was 6 % of a busy server's CPU. Expiry and the session
   * guard are still checked on every call. Bounded; the oldest entries go first.
   */
  private readonly verified = new Map<string, TokenClaims>();
  private static readonly VERIFIED_MAX = 10_000;

  /** Throws on a bad signature, another issuer, expiry, or a revoked session; roles and scope are the user's current ones. */
  async verify(token: string): Promise<TokenClaims> {
    let claims = this.verified.get(token);
    if (!claims || claims.expiresAt.getTime() <= Date.now()) {
      this.verified.delete(token);
      claims = await this.checkSignature(token);
      if (this.verified.size >= TokenService.VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
    }
    if (!this.guard) return claims;
    if (!(await this.guard.accepts(claims))) throw new Error('session revoked');
    return this.guard.current ? { ...claims, ...this.guard.current(claims) } : claims;
  }

  private async checkSignature(token: string): Promise<TokenClaims> {
    const { payload } = await jwtVerify(token, await this.key, { issuer: 'closeloop', algorithms: ['HS256'] });
    const claims: TokenClaims = {
      username: String(payload.sub),
      roles: Array.isArray(payload.roles) ? (payload.roles as string[]) : [],
      scope: (payload.scope as Scope) ?? {},
      jti: String(payload.jti),
      generation: typeof payload.gen === 'number' ? payload.gen : 0,
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
    return claims;
  }
}
