import { SignJWT, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import type { Scope } from '../db/index.ts';

export interface TokenClaims {
  username: string;
  roles: string[];
  scope: Scope;
  jti: string;
}

/** Signed bearer tokens (HS256). The key lives in the database so every instance shares it. */
export class TokenService {
  private readonly key: Uint8Array;
  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(username: string, roles: string[], scope: Scope): Promise<{ token: string; expiresAt: Date; jti: string }> {
    const jti = randomUUID();
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000);
    const token = await new SignJWT({ roles, scope })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(username)
      .setJti(jti)
      .setIssuer('closeloop')
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt, jti };
  }

  /** Throws on a bad signature, another issuer, or expiry. */
  async verify(token: string): Promise<TokenClaims> {
    const { payload } = await jwtVerify(token, this.key, { issuer: 'closeloop', algorithms: ['HS256'] });
    return {
      username: String(payload.sub),
      roles: Array.isArray(payload.roles) ? (payload.roles as string[]) : [],
      scope: (payload.scope as Scope) ?? {},
      jti: String(payload.jti),
    };
  }
}
