import { createHmac } from 'node:crypto';

import { jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  authenticatedUser,
  createTestApp,
  expectProblem,
  login,
  PASSWORD,
  register,
  registerWith as registerFrom,
  uniqueEmail,
  type TestApp,
} from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const registerWith = (payload: unknown) => registerFrom(t.app, payload);

/** The longest valid address: a 64-character local part and a 189-character domain. */
const LONGEST_EMAIL = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;

describe('POST /api/v1/auth/register', () => {
  it('creates an account and returns only its id and email', async () => {
    const email = uniqueEmail();
    const response = await registerWith({ email, password: PASSWORD });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: expect.any(Number), email });
  });

  it('lower-cases the email', async () => {
    const email = uniqueEmail('Mixed.Case');
    const response = await registerWith({ email: email.toUpperCase(), password: PASSWORD });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ email: email.toLowerCase() });
  });

  it('accepts an email of 254 characters and stores it as sent, lower-cased', async () => {
    expect(LONGEST_EMAIL).toHaveLength(254);
    const response = await registerWith({ email: LONGEST_EMAIL.toUpperCase(), password: PASSWORD });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ email: LONGEST_EMAIL });
  });

  it('answers 409 for an email already registered, whatever its case', async () => {
    const { email } = await register(t.app);
    expectProblem(await registerWith({ email: email.toUpperCase(), password: PASSWORD }), 409);
  });

  it.each([
    ['no at sign', 'not-an-email'],
    ['no dot in the domain', 'a@localhost'],
    ['whitespace inside', 'a b@example.com'],
    ['surrounding whitespace', ' a@example.com '],
    ['a trailing newline', 'a@example.com\n'],
    ['255 characters', `x${LONGEST_EMAIL}`],
    [
      '276 characters',
      `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(79)}.com`,
    ],
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.com`],
    ['dotless capital I (lower-casing changes its length)', `${'İ'.repeat(130)}@x.com`],
    ['an accented local part', 'josé@example.com'],
    ['an accented domain', 'a@exämple.com'],
    ['a trailing star', '0@0.com*'],
    ['two dots in a row', 'a..b@x.com'],
    ['a label starting with a hyphen', 'a@-x.com'],
    ['a NUL character', 'a\u0000b@example.com'],
  ])('rejects an email with %s', async (_case, email) => {
    const body = expectProblem(await registerWith({ email, password: PASSWORD }), 422);
    expect(body.errors).toContainEqual(expect.objectContaining({ field: 'email' }));
  });

  it.each([
    ['on the common-password list', 'correcthorsebatterystaple'],
    ['on the list in another case', 'Password1234'],
  ])('refuses a password %s', async (_case, password) => {
    const body = expectProblem(await registerWith({ email: uniqueEmail(), password }), 422);
    expect(body.errors).toEqual([{ field: 'password', message: expect.any(String) }]);
  });

  it('refuses a password equal to the email, whatever its case', async () => {
    const email = 'Same.As.Password@example.com';
    const body = expectProblem(await registerWith({ email, password: email.toUpperCase() }), 422);
    expect(body.errors).toEqual([{ field: 'password', message: expect.any(String) }]);
  });

  it('refuses a NUL character in the password, on registration and login', async () => {
    const password = 'correct horse\u0000battery';
    const registered = await registerWith({ email: uniqueEmail(), password });
    expect(expectProblem(registered, 422).errors).toContainEqual(
      expect.objectContaining({ field: 'password' }),
    );
    const { email } = await register(t.app);
    expect(expectProblem(await login(t.app, email, password), 422).errors).toContainEqual(
      expect.objectContaining({ field: 'password' }),
    );
  });

  it('enforces 12 to 128 characters of password, counted in code points', async () => {
    const short = await registerWith({ email: uniqueEmail(), password: 'x'.repeat(11) });
    expect(expectProblem(short, 422).errors).toContainEqual(
      expect.objectContaining({ field: 'password' }),
    );
    expectProblem(await registerWith({ email: uniqueEmail(), password: 'x'.repeat(129) }), 422);
    const longest = await registerWith({ email: uniqueEmail(), password: 'x'.repeat(128) });
    expect(longest.statusCode).toBe(201);
    // Twelve emoji are 24 UTF-16 units but 12 code points.
    const emoji = await registerWith({ email: uniqueEmail(), password: '🔑'.repeat(12) });
    expect(emoji.statusCode).toBe(201);
  });
});

describe('POST /api/v1/auth/login', () => {
  it('returns a bearer token that expires within 15 minutes', async () => {
    const { email } = await register(t.app);
    const response = await login(t.app, email);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ access_token: string; token_type: string; expires_in: number }>();
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: t.config.jwt.ttlSeconds,
    });
    expect(t.config.jwt.ttlSeconds).toBeLessThanOrEqual(900);
  });

  it('issues a standard HS256 JWT that an independent implementation verifies', async () => {
    const user = await register(t.app);
    const { access_token: token } = (await login(t.app, user.email)).json<{
      access_token: string;
    }>();
    const { payload, protectedHeader } = await jwtVerify(
      token,
      new TextEncoder().encode(t.config.jwt.secret),
      { algorithms: ['HS256'], issuer: t.config.jwt.issuer, audience: t.config.jwt.audience },
    );
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload.sub).toBe(String(user.id));
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(t.config.jwt.ttlSeconds);
  });

  it('accepts the email in any case, but not padded with spaces', async () => {
    const { email } = await register(t.app);
    expect((await login(t.app, email.toUpperCase())).statusCode).toBe(200);
    expectProblem(await login(t.app, ` ${email} `), 401);
  });

  it('answers any other email text with 401, never 422 or 500', async () => {
    for (const email of ['not an email', 'josé@example.com', 'İ'.repeat(254)]) {
      expectProblem(await login(t.app, email), 401);
    }
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const { email } = await register(t.app);
    const wrongPassword = await login(t.app, email, 'not the password at all');
    const unknownUser = await login(t.app, uniqueEmail());
    expectProblem(wrongPassword, 401);
    expectProblem(unknownUser, 401);
    expect(unknownUser.body).toBe(wrongPassword.body);
    expect(wrongPassword.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });
});

describe('GET /api/v1/auth/me', () => {
  const me = (headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
  const appKey = () => new TextEncoder().encode(t.config.jwt.secret);
  const now = () => Math.floor(Date.now() / 1000);

  /** A token with the claims the app issues, changed by `claims`; `null` drops a claim. */
  function token(
    userId: number,
    claims: Record<string, string | number | null> = {},
    { key = appKey(), alg = 'HS256' } = {},
  ): Promise<string> {
    const payload: Record<string, string | number | null> = {
      sub: String(userId),
      iss: t.config.jwt.issuer,
      aud: t.config.jwt.audience,
      iat: now(),
      exp: now() + 300,
      ...claims,
    };
    const present = Object.entries(payload).filter(([, value]) => value !== null);
    return new SignJWT(Object.fromEntries(present)).setProtectedHeader({ alg }).sign(key);
  }

  /** A token with the app's key and valid claims, whatever `header` says. */
  function hs256WithHeader(header: object, userId: number): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      sub: String(userId),
      iss: t.config.jwt.issuer,
      aud: t.config.jwt.audience,
      iat: now(),
      exp: now() + 300,
    };
    const input = `${encode(header)}.${encode(claims)}`;
    const signature = createHmac('sha256', t.config.jwt.secret).update(input).digest('base64url');
    return `${input}.${signature}`;
  }

  it('returns the authenticated user', async () => {
    const user = await authenticatedUser(t.app);
    const response = await me(user.headers);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: user.id, email: user.email });
  });

  it('accepts a token built like the ones below but unaltered', async () => {
    const user = await register(t.app);
    expect((await me({ authorization: `Bearer ${await token(user.id)}` })).statusCode).toBe(200);
  });

  it('accepts a token whose audience is a list holding this API', async () => {
    const user = await register(t.app);
    const listed = await new SignJWT({ aud: ['another-api', t.config.jwt.audience] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(user.id))
      .setIssuer(t.config.jwt.issuer)
      .setIssuedAt(now())
      .setExpirationTime(now() + 300)
      .sign(appKey());
    expect((await me({ authorization: `Bearer ${listed}` })).statusCode).toBe(200);
  });

  it('accepts a token valid for exactly the configured lifetime', async () => {
    const user = await register(t.app);
    const longest = await token(user.id, { iat: now(), exp: now() + t.config.jwt.ttlSeconds });
    expect((await me({ authorization: `Bearer ${longest}` })).statusCode).toBe(200);
  });

  it.each<[string, (userId: number) => Promise<string>]>([
    ['expired', (id) => token(id, { iat: now() - 1000, exp: now() - 100 })],
    ['expired a moment ago', (id) => token(id, { iat: now() - 200, exp: now() - 1 })],
    ['issued in the future', (id) => token(id, { iat: now() + 100, exp: now() + 200 })],
    ['not valid before a later time (nbf)', (id) => token(id, { nbf: now() + 100 })],
    ['valid for a year', (id) => token(id, { iat: now(), exp: now() + 365 * 86_400 })],
    ['valid a second longer than the lifetime', (id) => token(id, { exp: now() + 901 })],
    ['with a numeric-string exp', (id) => token(id, { exp: String(now() + 300) })],
    ['with a numeric-string iat', (id) => token(id, { iat: String(now()) })],
    ['with a fractional exp', (id) => token(id, { exp: now() + 300.5 })],
    ['without exp', (id) => token(id, { exp: null })],
    ['without sub', (id) => token(id, { sub: null })],
    ['with a non-numeric sub', (id) => token(id, { sub: `${id}abc` })],
    [
      'signed with another key',
      (id) => token(id, {}, { key: new TextEncoder().encode('k'.repeat(32)) }),
    ],
    ['signed with HS512', (id) => token(id, {}, { alg: 'HS512' })],
    [
      'naming another algorithm over a valid HS256 signature',
      (id) => Promise.resolve(hs256WithHeader({ alg: 'HS384', typ: 'JWT' }, id)),
    ],
    [
      'demanding an extension it does not know (crit)',
      (id) => Promise.resolve(hs256WithHeader({ alg: 'HS256', crit: ['exp'] }, id)),
    ],
    ['of another issuer', (id) => token(id, { iss: 'someone-else' })],
    ['for another audience', (id) => token(id, { aud: 'someone-else' })],
    [
      'unsigned (alg none)',
      (id) =>
        Promise.resolve(
          new UnsecuredJWT({})
            .setSubject(String(id))
            .setIssuer(t.config.jwt.issuer)
            .setAudience(t.config.jwt.audience)
            .setIssuedAt()
            .setExpirationTime('5m')
            .encode(),
        ),
    ],
    ['that is not a JWT', () => Promise.resolve('not-a-token')],
  ])('rejects a token %s with 401 and a Bearer challenge', async (_case, make) => {
    const user = await register(t.app);
    const response = await me({ authorization: `Bearer ${await make(user.id)}` });
    expectProblem(response, 401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });

  it('rejects a request without a token', async () => {
    const response = await me();
    expectProblem(response, 401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });

  it('rejects another authorization scheme', async () => {
    expectProblem(await me({ authorization: `Basic ${btoa(`a@b.co:${PASSWORD}`)}` }), 401);
  });

  it('rejects a valid token whose user never existed', async () => {
    expectProblem(await me({ authorization: `Bearer ${await token(2_000_000_000)}` }), 401);
  });

  it('rejects a request with two Authorization headers, even if both are valid', async () => {
    const user = await authenticatedUser(t.app);
    // A list sends the header twice (the types only know single values).
    const twice = { authorization: [user.headers.authorization, user.headers.authorization] };
    const headers = twice as unknown as Record<string, string>;
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers }), 401);
  });
});

describe('a token whose user was deleted', () => {
  it('answers 401 on every protected endpoint', async () => {
    const user = await authenticatedUser(t.app);
    const note = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notes',
      headers: user.headers,
      payload: { title: 'kept' },
    });
    expect(note.statusCode).toBe(201);
    const url = `/api/v1/notes/${note.json<{ id: number }>().id}`;
    await t.db.query('DELETE FROM users WHERE id = ?', [user.id]);

    for (const [method, path] of [
      ['GET', '/api/v1/auth/me'],
      ['GET', '/api/v1/notes'],
      ['POST', '/api/v1/notes'],
      ['GET', url],
      ['PATCH', url],
      ['DELETE', url],
    ] as const) {
      const hasBody = method === 'POST' || method === 'PATCH';
      const response = await t.app.inject({
        method,
        url: path,
        headers: user.headers,
        ...(hasBody ? { payload: { title: 'x' } } : {}),
      });
      expectProblem(response, 401);
    }
  });
});
