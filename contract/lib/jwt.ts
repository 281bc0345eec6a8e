import { createHmac } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: JwtClaims;
  signature: string;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Decodes a compact JWS without verifying it; throws on anything that is not three base64url JSON parts. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error(`a JWT has 3 dot-separated parts, this one has ${parts.length}`);
  const [header, payload, signature] = parts as [string, string, string];
  const parse = (part: string, what: string): Record<string, unknown> => {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`the JWT ${what} is not a JSON object`);
    return value as Record<string, unknown>;
  };
  return { header: parse(header, 'header'), payload: parse(payload, 'payload'), signature };
}

/** Signs claims with an HMAC algorithm, as a server or an attacker who knows the key would. */
export function signJwt(payload: JwtClaims, key: string | Buffer, alg: 'HS256' | 'HS512' = 'HS256'): string {
  const input = `${encode({ alg, typ: 'JWT' })}.${encode(payload)}`;
  const signature = createHmac(alg === 'HS256' ? 'sha256' : 'sha512', key)
    .update(input)
    .digest('base64url');
  return `${input}.${signature}`;
}

/** An unsecured JWT (`alg: none`, empty signature). */
export function unsecuredJwt(payload: JwtClaims): string {
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

/** Replaces the payload of a signed token and keeps its original header and signature. */
export function withPayload(token: string, payload: JwtClaims): string {
  const [header, , signature] = token.split('.');
  return `${header}.${encode(payload)}.${signature}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
