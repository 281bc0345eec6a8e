import { randomBytes } from 'node:crypto';
import { ensure, expectEqual, fail, show } from '../lib/assert.js';
import { newAccount, requireOption, type Account, type Check, type Context, type Token, type User } from '../lib/context.js';
import { decodeJwt, nowSeconds, signJwt, unsecuredJwt, withPayload, type JwtClaims } from '../lib/jwt.js';

const ME = '/api/v1/auth/me';

export interface Session {
  account: Account;
  /** The claims of a token the server issued, with a fresh `iat`/`exp`. */
  claims: JwtClaims;
}

export async function session(ctx: Context): Promise<Session> {
  const account = await newAccount(ctx, 'token');
  const { payload } = decodeJwt(account.token);
  const now = nowSeconds();
  return { account, claims: { ...payload, iat: now, exp: now + 300 } };
}

async function expectAccepted(ctx: Context, token: string, what: string, account: Account): Promise<void> {
  const res = await ctx.http.get(ME, { token });
  if (res.status !== 200) fail(`${what} was refused: GET ${ME} → expected 200, got ${res.status}; body: ${show(res.text)}`);
  expectEqual(ctx.spec.expect<User>(res, ME, 200).id, account.id, `${what}: GET ${ME} id`);
}

async function expectRejected(ctx: Context, token: string, what: string): Promise<void> {
  const res = await ctx.http.get(ME, { token });
  if (res.status !== 401) fail(`${what} was not refused: GET ${ME} → expected 401, got ${res.status}; token: ${token}`);
  ctx.spec.expect(res, ME, 401);
}

/**
 * A forgery check: a token signed with the server's key and the claims of a real one must be
 * accepted (otherwise the refusal below would prove nothing), and the same token with one
 * thing changed must be refused.
 */
export function forgery(name: string, what: string, change: (claims: JwtClaims, key: string) => string): Check {
  return {
    name,
    async run(ctx) {
      const key = requireOption(ctx, 'jwtSecret');
      const { account, claims } = await session(ctx);
      const control = signJwt(claims, key);
      const controlRes = await ctx.http.get(ME, { token: control });
      if (controlRes.status !== 200) {
        fail(
          `a token signed with jwtSecret and the claims of a real token was refused (GET ${ME} → ${controlRes.status}); is jwtSecret the server's JWT_SECRET?`,
        );
      }
      await expectRejected(ctx, change({ ...claims }, key), what);
      await expectAccepted(ctx, account.token, 'the real token', account);
    },
  };
}

const other = (value: unknown): unknown => (Array.isArray(value) ? value.map((v) => `${String(v)}-other`) : `${String(value)}-other`);

export const tokenChecks: Check[] = [
  {
    name: 'tokens: an issued token is HS256 with sub, iss, aud, iat and exp at most 900 s after iat',
    async run(ctx) {
      const account = await newAccount(ctx, 'token');
      const res = await ctx.http.post('/api/v1/auth/login', { json: { email: account.email, password: account.password } });
      const token = ctx.spec.expect<Token>(res, '/api/v1/auth/login', 200);
      ensure(token.expires_in <= 900, `expires_in is ${token.expires_in}, expected at most 900`);
      const { header, payload } = decodeJwt(token.access_token);
      expectEqual(header.alg, 'HS256', 'JWT header alg');
      expectEqual(payload.sub, String(account.id), 'JWT sub (the user id as a string)');
      for (const claim of ['iss', 'aud']) ensure(payload[claim] !== undefined, `the JWT has no ${claim} claim: ${show(payload)}`);
      const { iat, exp } = payload;
      ensure(Number.isInteger(iat) && Number.isInteger(exp), `iat and exp must be integers, got iat=${show(iat)} exp=${show(exp)}`);
      const lifetime = (exp as number) - (iat as number);
      ensure(lifetime > 0 && lifetime <= 900, `exp - iat is ${lifetime} s, expected 1..900`);
      ensure(Math.abs((iat as number) - nowSeconds()) <= 120, `iat ${String(iat)} is not close to the current time ${nowSeconds()}`);
    },
  },
  {
    name: 'tokens: malformed Authorization headers answer 401',
    async run(ctx) {
      const account = await newAccount(ctx, 'token');
      const headers = [
        'Bearer',
        'Bearer ',
        'Bearer not-a-jwt',
        'Bearer a.b.c',
        `Bearer ${account.token}.extra`,
        `Basic ${Buffer.from(`${account.email}:${account.password}`).toString('base64')}`,
        account.token,
        `Token ${account.token}`,
      ];
      for (const authorization of headers) {
        const res = await ctx.http.get(ME, { headers: { Authorization: authorization } });
        if (res.status !== 401) fail(`GET ${ME} with "Authorization: ${authorization}" → expected 401, got ${res.status}`);
        ctx.spec.expect(res, ME, 401);
      }
    },
  },
  {
    name: 'tokens: a token signed with another key answers 401',
    async run(ctx) {
      const { account, claims } = await session(ctx);
      await expectRejected(ctx, signJwt(claims, randomBytes(32)), 'a token signed with a random key');
      await expectAccepted(ctx, account.token, 'the real token', account);
    },
  },
  {
    name: 'tokens: a token with alg "none" answers 401',
    async run(ctx) {
      const { account, claims } = await session(ctx);
      await expectRejected(ctx, unsecuredJwt(claims), 'an unsigned token (alg none)');
      const [, , signature] = account.token.split('.');
      await expectRejected(ctx, `${unsecuredJwt(claims)}${signature}`, 'an alg-none token carrying a real signature');
    },
  },
  {
    name: "tokens: a real token with a tampered payload (another user's sub) answers 401",
    async run(ctx) {
      const victim = await newAccount(ctx, 'victim');
      const { account } = await session(ctx);
      const { payload } = decodeJwt(account.token);
      await expectRejected(ctx, withPayload(account.token, { ...payload, sub: String(victim.id) }), 'a token whose sub was changed');
      await expectAccepted(ctx, account.token, 'the real token', account);
    },
  },
  {
    name: 'tokens: a token forged with jwtSecret and real claims is accepted',
    async run(ctx) {
      const key = requireOption(ctx, 'jwtSecret');
      const { account, claims } = await session(ctx);
      await expectAccepted(ctx, signJwt(claims, key), 'a token signed with jwtSecret (is it the server JWT_SECRET?)', account);
    },
  },
  forgery('tokens: an expired token answers 401', 'an expired token', (claims, key) => {
    const now = nowSeconds();
    return signJwt({ ...claims, iat: now - 1500, exp: now - 600 }, key);
  }),
  forgery('tokens: an HS512 token signed with the right key answers 401', 'an HS512 token', (claims, key) => signJwt(claims, key, 'HS512')),
  forgery('tokens: a token with the wrong aud answers 401', 'a token with the wrong aud', (claims, key) =>
    signJwt({ ...claims, aud: other(claims.aud) }, key),
  ),
  forgery('tokens: a token with the wrong iss answers 401', 'a token with the wrong iss', (claims, key) =>
    signJwt({ ...claims, iss: other(claims.iss) }, key),
  ),
  forgery('tokens: a token without sub answers 401', 'a token without sub', (claims, key) => {
    const { sub: _sub, ...rest } = claims;
    return signJwt(rest, key);
  }),
];
