import { describe, expectHeader, expectNoBanner, expectNoHeader, fail, headerTokens } from '../lib/assert.js';
import { createNote, newAccount, requireOption, strongPassword, uniqueEmail, type Check } from '../lib/context.js';
import type { HttpResponse } from '../lib/http.js';

const CSP = "default-src 'none'; frame-ancestors 'none'";
const HSTS = 'max-age=31536000; includeSubDomains';
const DISALLOWED_ORIGIN = 'https://not-allowed.invalid';

/** The headers every response carries (docs/contract.md), with their exact values. */
export function expectSecurityHeaders(res: HttpResponse): void {
  expectHeader(res, 'X-Content-Type-Options', 'nosniff');
  expectHeader(res, 'Referrer-Policy', 'no-referrer');
  expectHeader(res, 'X-Frame-Options', 'DENY');
  const csp = res.headers['content-security-policy'];
  const directives = (csp ?? '')
    .split(';')
    .map((d) => d.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .join('; ');
  if (directives !== CSP) fail(`${describe(res)}: expected header Content-Security-Policy: ${CSP}, got ${csp ?? '(absent)'}`);
}

export function expectNoStore(res: HttpResponse): void {
  if (!headerTokens(res, 'cache-control').includes('no-store')) {
    fail(`${describe(res)}: expected Cache-Control: no-store on an /api/ response, got ${res.headers['cache-control'] ?? '(absent)'}`);
  }
}

function expectNoCors(res: HttpResponse): void {
  const cors = Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));
  if (cors.length > 0) {
    fail(
      `${describe(res)} for Origin ${DISALLOWED_ORIGIN}: expected no CORS headers, got ${cors.map((n) => `${n}: ${res.headers[n]}`).join('; ')}`,
    );
  }
}

export const headerChecks: Check[] = [
  {
    name: 'headers: security headers on a 200 response',
    async run(ctx) {
      const account = await newAccount(ctx, 'headers');
      expectSecurityHeaders(await ctx.http.get('/health'));
      expectSecurityHeaders(await ctx.http.get('/api/v1/auth/me', { token: account.token }));
    },
  },
  {
    name: 'headers: security headers on a 404 response',
    async run(ctx) {
      const account = await newAccount(ctx, 'headers');
      const unknownRoute = await ctx.http.get('/api/v1/no-such-route', { token: account.token });
      ctx.spec.expectComponent(unknownRoute, 'NotFound', 404);
      expectSecurityHeaders(unknownRoute);
      const unknownNote = await ctx.http.get('/api/v1/notes/abc', { token: account.token });
      ctx.spec.expect(unknownNote, '/api/v1/notes/{id}', 404);
      expectSecurityHeaders(unknownNote);
    },
  },
  {
    name: 'headers: security headers on a 401 response',
    async run(ctx) {
      const res = await ctx.http.get('/api/v1/auth/me');
      ctx.spec.expect(res, '/api/v1/auth/me', 401);
      expectSecurityHeaders(res);
    },
  },
  {
    name: 'headers: security headers on a 422 response',
    async run(ctx) {
      const res = await ctx.http.post('/api/v1/auth/register', { json: { email: 'not-an-email', password: strongPassword() } });
      ctx.spec.expect(res, '/api/v1/auth/register', 422);
      expectSecurityHeaders(res);
    },
  },
  {
    name: 'headers: Cache-Control: no-store on /api/ responses',
    async run(ctx) {
      const email = uniqueEmail('headers');
      const password = strongPassword();
      const responses = [await ctx.http.post('/api/v1/auth/register', { json: { email, password } })];
      const login = await ctx.http.post('/api/v1/auth/login', { json: { email, password } });
      responses.push(login);
      const token = ctx.spec.expect<{ access_token: string }>(login, '/api/v1/auth/login', 200).access_token;
      const account = { id: 0, email, password, token };
      const note = await createNote(ctx, account, { title: 'cache' });
      responses.push(
        await ctx.http.get('/api/v1/auth/me', { token }),
        await ctx.http.get('/api/v1/notes', { token }),
        await ctx.http.get(`/api/v1/notes/${note.id}`, { token }),
        await ctx.http.delete(`/api/v1/notes/${note.id}`, { token }),
        await ctx.http.get(`/api/v1/notes/${note.id}`, { token }),
        await ctx.http.get('/api/v1/auth/me'),
        await ctx.http.post('/api/v1/auth/login', { json: { email, password: strongPassword() } }),
        await ctx.http.post('/api/v1/notes', { token, json: { title: '' } }),
      );
      responses.forEach(expectNoStore);
    },
  },
  {
    name: 'headers: Strict-Transport-Security present if and only if production',
    async run(ctx) {
      for (const res of [await ctx.http.get('/health'), await ctx.http.get('/api/v1/auth/me')]) {
        if (ctx.options.production) expectHeader(res, 'Strict-Transport-Security', HSTS);
        else expectNoHeader(res, 'Strict-Transport-Security');
      }
    },
  },
  {
    name: 'headers: no Server or X-Powered-By header names the software or its version',
    async run(ctx) {
      const account = await newAccount(ctx, 'headers');
      const json = { 'Content-Type': 'application/json' };
      const responses = [
        await ctx.http.get('/health'),
        await ctx.http.get('/no-such-route'),
        await ctx.http.get('/api/v1/auth/me'),
        await ctx.http.get('/api/v1/auth/me', { token: account.token }),
        await ctx.http.request('PUT', '/api/v1/notes', { token: account.token, json: {} }),
        await ctx.http.post('/api/v1/notes', { token: account.token, body: '{', headers: json }),
        await ctx.http.post('/api/v1/notes', { token: account.token, json: {} }),
      ];
      responses.forEach(expectNoBanner);
    },
  },
  {
    name: 'headers: CORS echoes an allowed origin',
    async run(ctx) {
      const origin = requireOption(ctx, 'allowedOrigin');
      const account = await newAccount(ctx, 'cors');
      for (const res of [
        await ctx.http.get('/health', { headers: { Origin: origin } }),
        await ctx.http.get('/api/v1/notes', { token: account.token, headers: { Origin: origin } }),
      ]) {
        expectHeader(res, 'Access-Control-Allow-Origin', origin);
      }
    },
  },
  {
    name: 'headers: CORS preflight from an allowed origin answers 204 with the methods and headers',
    async run(ctx) {
      const origin = requireOption(ctx, 'allowedOrigin');
      const cases: [string, string][] = [
        ['/api/v1/notes', 'POST'],
        ['/api/v1/notes/1', 'PATCH'],
        ['/api/v1/notes/1', 'DELETE'],
      ];
      for (const [path, method] of cases) {
        const res = await ctx.http.request('OPTIONS', path, {
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': method,
            'Access-Control-Request-Headers': 'authorization, content-type',
          },
        });
        if (res.status !== 204) fail(`preflight for ${method} ${path}: expected status 204, got ${res.status}`);
        expectHeader(res, 'Access-Control-Allow-Origin', origin);
        const methods = headerTokens(res, 'access-control-allow-methods');
        if (!methods.includes(method.toLowerCase()) && !methods.includes('*')) {
          fail(`${describe(res)}: Access-Control-Allow-Methods (${methods.join(', ') || 'absent'}) does not allow ${method}`);
        }
        const allowed = headerTokens(res, 'access-control-allow-headers');
        // A wildcard does not cover Authorization (Fetch standard), so it must be listed by name.
        for (const header of ['authorization', 'content-type']) {
          if (!allowed.includes(header) && !(header !== 'authorization' && allowed.includes('*'))) {
            fail(`${describe(res)}: Access-Control-Allow-Headers (${allowed.join(', ') || 'absent'}) does not allow ${header}`);
          }
        }
      }
    },
  },
  {
    name: 'headers: CORS sends no CORS headers to an origin that is not allowed',
    async run(ctx) {
      const account = await newAccount(ctx, 'cors');
      expectNoCors(await ctx.http.get('/health', { headers: { Origin: DISALLOWED_ORIGIN } }));
      expectNoCors(await ctx.http.get('/api/v1/notes', { token: account.token, headers: { Origin: DISALLOWED_ORIGIN } }));
      expectNoCors(
        await ctx.http.request('OPTIONS', '/api/v1/notes', {
          headers: {
            Origin: DISALLOWED_ORIGIN,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'authorization, content-type',
          },
        }),
      );
    },
  },
];
