import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

import type { JwtConfig } from '../config.js';

/*
 * HS256 JSON Web Tokens (RFC 7519) with node:crypto, synchronously. Verification runs on every
 * authenticated request: an HMAC over a few hundred bytes takes microseconds, while a WebCrypto
 * verification (what JWT libraries use) goes through the thread pool and several promises. The
 * format is small enough to check completely here; the tests check it against `jose`.
 */

const ALGORITHM = 'HS256';
const HEADER = encodeJson({ alg: ALGORITHM, typ: 'JWT' });
// Three base64url parts, the signature exactly one SHA-256 (43 characters, no padding).
const COMPACT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/** How many verified tokens are remembered (a few hundred bytes each). */
const VERIFIED_TOKENS_KEPT = 10_000;

/** What a correctly signed token says; the times are checked on each use. */
interface SignedClaims {
  userId: number;
  iat: number;
  exp: number;
  nbf: unknown;
}

/** Issues and checks the short-lived HS256 access tokens; `sub` is the user id as a string. */
export class TokenService {
  readonly ttlSeconds: number;
  // Imported once: the key is the same for every token.
  readonly #key: KeyObject;
  readonly #issuer: string;
  readonly #audience: string;
  readonly #verified = new Map<string, SignedClaims>();

  constructor(config: JwtConfig) {
    this.ttlSeconds = config.ttlSeconds;
    this.#key = createSecretKey(Buffer.from(config.secret, 'utf8'));
    this.#issuer = config.issuer;
    this.#audience = config.audience;
  }

  issue(userId: number): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = encodeJson({
      sub: String(userId),
      iss: this.#issuer,
      aud: this.#audience,
      iat: now,
      exp: now + this.ttlSeconds,
    });
    return `${HEADER}.${payload}.${this.#sign(`${HEADER}.${payload}`)}`;
  }

  /** The user id the token was issued to, or `undefined` for any invalid token. */
  verify(token: string): number | undefined {
    const claims = this.#signedClaims(token);
    if (!claims) return undefined;
    // The time claims, on every use: a token that was valid when first seen may have expired.
    const { iat, exp, nbf } = claims;
    const now = Math.floor(Date.now() / 1000);
    if (exp <= now) return undefined;
    if (iat > now) return undefined;
    if (nbf !== undefined && !(isWholeSeconds(nbf) && nbf <= now)) return undefined;
    return claims.userId;
  }

  /**
   * The claims of a token signed with this server's key for this server, remembered: a client
   * sends the same token with each request, and the HMAC and JSON parsing of it would otherwise
   * be redone every time. Only tokens whose signature checked out are remembered.
   */
  #signedClaims(token: string): SignedClaims | undefined {
    const known = this.#verified.get(token);
    if (known) return known;
    const claims = this.#checkSignedClaims(token);
    if (!claims) return undefined;
    // The oldest one makes room (a Map keeps insertion order).
    if (this.#verified.size >= VERIFIED_TOKENS_KEPT) {
      this.#verified.delete(this.#verified.keys().next().value ?? '');
    }
    this.#verified.set(token, claims);
    return claims;
  }

  #checkSignedClaims(token: string): SignedClaims | undefined {
    const parts = COMPACT.exec(token);
    if (!parts) return undefined;
    const [, header = '', body = '', signature = ''] = parts;
    // The signature first: nothing a stranger wrote is parsed.
    if (!sameText(signature, this.#sign(`${header}.${body}`))) return undefined;
    // Pinned: a token cannot choose its own algorithm (`none`, or another HMAC), nor demand
    // extensions (`crit`) this code does not implement.
    const head = decodeJson(header);
    if (head?.alg !== ALGORITHM || head.crit !== undefined) return undefined;

    const claims = decodeJson(body);
    if (!claims) return undefined;
    if (claims.iss !== this.#issuer) return undefined;
    if (!audienceIncludes(claims.aud, this.#audience)) return undefined;
    // The contract wants whole seconds: numeric strings and fractions are refused.
    const { iat, exp, nbf } = claims;
    if (!isWholeSeconds(iat) || !isWholeSeconds(exp)) return undefined;
    // No token may live longer than this server issues them for, whoever signed it (with the
    // expiry checked on use, this also bounds its age).
    if (exp - iat > this.ttlSeconds) return undefined;
    const userId = parseUserId(claims.sub);
    return userId === undefined ? undefined : { userId, iat, exp, nbf };
  }

  #sign(input: string): string {
    return createHmac('sha256', this.#key).update(input).digest('base64url');
  }
}

/** Compares in constant time; both are base64url of the same length or already unequal. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function audienceIncludes(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}

function encodeJson(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A JSON object from base64url, or `undefined` for anything else. */
function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isWholeSeconds(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

// users.id is a 32-bit integer in PostgreSQL: a larger id cannot even be looked up.
const MAX_USER_ID = 2_147_483_647;

function parseUserId(subject: unknown): number | undefined {
  if (typeof subject !== 'string' || !/^[1-9]\d{0,9}$/.test(subject)) return undefined;
  const id = Number(subject);
  return id <= MAX_USER_ID ? id : undefined;
}
