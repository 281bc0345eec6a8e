import { errors, jwtVerify, SignJWT } from 'jose';

import type { JwtConfig } from '../config.js';

const ALGORITHM = 'HS256';

/** Issues and checks the short-lived HS256 access tokens; `sub` is the user id as a string. */
export class TokenService {
  readonly ttlSeconds: number;
  readonly #key: Uint8Array;
  readonly #issuer: string;
  readonly #audience: string;

  constructor(config: JwtConfig) {
    this.ttlSeconds = config.ttlSeconds;
    this.#key = new TextEncoder().encode(config.secret);
    this.#issuer = config.issuer;
    this.#audience = config.audience;
  }

  issue(userId: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(String(userId))
      .setIssuer(this.#issuer)
      .setAudience(this.#audience)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.#key);
  }

  /** The user id the token was issued to, or `undefined` for any invalid token. */
  async verify(token: string): Promise<number | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        // Pinned: a token cannot choose its own algorithm (`none`, or another HMAC).
        algorithms: [ALGORITHM],
        issuer: this.#issuer,
        audience: this.#audience,
        requiredClaims: ['sub', 'iat', 'exp'],
        // Rejects tokens older than the TTL even if a longer `exp` was somehow signed.
        maxTokenAge: this.ttlSeconds,
      });
      return parseUserId(payload.sub);
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
  }
}

function parseUserId(subject: string | undefined): number | undefined {
  if (subject === undefined || !/^[1-9]\d{0,14}$/.test(subject)) return undefined;
  return Number(subject);
}
