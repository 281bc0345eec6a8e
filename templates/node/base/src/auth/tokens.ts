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
      // jose takes any JSON number (and refuses strings); the contract wants whole seconds.
      const { iat, exp } = payload;
      if (!isWholeSeconds(iat) || !isWholeSeconds(exp)) return undefined;
      // No token may live longer than this server issues them for, whoever signed it.
      if (exp - iat > this.ttlSeconds) return undefined;
      return parseUserId(payload.sub);
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
  }
}

function isWholeSeconds(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

// users.id is a 32-bit integer in PostgreSQL: a larger id cannot even be looked up.
const MAX_USER_ID = 2_147_483_647;

function parseUserId(subject: string | undefined): number | undefined {
  if (subject === undefined || !/^[1-9]\d{0,9}$/.test(subject)) return undefined;
  const id = Number(subject);
  return id <= MAX_USER_ID ? id : undefined;
}
