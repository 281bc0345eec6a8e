import { describe, expectNoBanner, expectNoInternals, fail, headerTokens, mediaType, show } from '../lib/assert.js';
import { createNote, newAccount, requireOption, strongPassword, uniqueEmail, type Check, type Problem } from '../lib/context.js';
import type { HttpResponse } from '../lib/http.js';
import { expectNoStore, expectSecurityHeaders } from './headers.js';

const JSON_TYPE = { 'Content-Type': 'application/json' };

export const errorChecks: Check[] = [
  {
    name: 'errors: unknown routes answer 404 problem+json',
    async run(ctx) {
      const account = await newAccount(ctx, 'errors');
      const responses = [
        await ctx.http.get('/no-such-route'),
        await ctx.http.get('/api/v1/no-such-route', { token: account.token }),
        await ctx.http.post('/api/v2/notes', { token: account.token, json: { title: 'x' } }),
        await ctx.http.get('/api/v1/notes/1/extra', { token: account.token }),
      ];
      for (const res of responses) ctx.spec.expectComponent(res, 'NotFound', 404);
    },
  },
  {
    name: 'errors: an unsupported method on a known path answers 405 with Allow',
    async run(ctx) {
      const account = await newAccount(ctx, 'errors');
      const note = await createNote(ctx, account, { title: 'allow' });
      const cases: [string, string, string[]][] = [
        ['PUT', '/api/v1/notes', ['GET', 'POST']],
        ['DELETE', '/api/v1/notes', ['GET', 'POST']],
        ['PUT', `/api/v1/notes/${note.id}`, ['GET', 'PATCH', 'DELETE']],
        ['POST', `/api/v1/notes/${note.id}`, ['GET', 'PATCH', 'DELETE']],
        ['GET', '/api/v1/auth/login', ['POST']],
        ['DELETE', '/api/v1/auth/register', ['POST']],
        ['POST', '/api/v1/auth/me', ['GET']],
        ['POST', '/health', ['GET']],
        ['DELETE', '/ready', ['GET']],
      ];
      for (const [method, path, expected] of cases) {
        const hasBody = method === 'PUT' || method === 'POST';
        const res = await ctx.http.request(method, path, { token: account.token, ...(hasBody ? { json: { title: 'x' } } : {}) });
        ctx.spec.expectComponent(res, 'MethodNotAllowed', 405);
        const allow = headerTokens(res, 'allow').map((m) => m.toUpperCase());
        const missing = expected.filter((m) => !allow.includes(m));
        const extra = allow.filter((m) => !expected.includes(m) && m !== 'HEAD' && m !== 'OPTIONS');
        if (missing.length > 0 || extra.length > 0) {
          fail(`${describe(res)}: expected Allow: ${expected.join(', ')} (HEAD and OPTIONS optional), got Allow: ${res.headers.allow}`);
        }
      }
      // The refused methods changed nothing.
      const still = await ctx.http.get(`/api/v1/notes/${note.id}`, { token: account.token });
      ctx.spec.expect(still, '/api/v1/notes/{id}', 200);
    },
  },
  {
    name: 'errors: unusual but well-formed input never causes a server error',
    async run(ctx) {
      const account = await newAccount(ctx, 'errors');
      const token = account.token;
      const depth = 100_000;
      const post = (body: string) => ctx.http.post('/api/v1/notes', { token, body, headers: JSON_TYPE });
      // Each may be accepted or refused, as listed; none may crash the request.
      const cases: [string, Promise<HttpResponse>, string, number[]][] = [
        ['deeply nested JSON', post(`{"title": ${'['.repeat(depth)}${']'.repeat(depth)}}`), '/api/v1/notes', [400, 422]],
        ['a NUL character in the title', post('{"title": "nul\\u0000byte"}'), '/api/v1/notes', [422]],
        ['a lone surrogate in the title', post('{"title": "lone\\ud800surrogate"}'), '/api/v1/notes', [201, 400, 422]],
        ['a duplicated key', post('{"title": "a", "title": "b"}'), '/api/v1/notes', [201, 400, 422]],
        ['a huge number as the title', post(`{"title": 1${'0'.repeat(400)}}`), '/api/v1/notes', [422]],
        ['an offset beyond 64 bits', ctx.http.get('/api/v1/notes?offset=99999999999999999999', { token }), '/api/v1/notes', [422]],
        ['an offset of 2^63', ctx.http.get('/api/v1/notes?offset=9223372036854775808', { token }), '/api/v1/notes', [422]],
        ['an id of 2^63', ctx.http.get('/api/v1/notes/9223372036854775808', { token }), '/api/v1/notes/{id}', [404]],
        [
          'an id beyond 64 bits',
          ctx.http.patch('/api/v1/notes/99999999999999999999', { token, json: { title: 'x' } }),
          '/api/v1/notes/{id}',
          [404],
        ],
      ];
      for (const [what, request, template, statuses] of cases) {
        const res = await request;
        if (!statuses.includes(res.status)) fail(`${what}: ${describe(res)}, expected ${statuses.join(' or ')}; body: ${show(res.text)}`);
        ctx.spec.expect(res, template, res.status);
      }
    },
  },
  {
    name: 'errors: every error is problem+json and reveals no stack trace, path or SQL',
    async run(ctx) {
      const account = await newAccount(ctx, 'errors');
      const token = account.token;
      const requests: Promise<HttpResponse>[] = [
        ctx.http.post('/api/v1/notes', { token, body: '{"title": "x"', headers: JSON_TYPE }),
        ctx.http.post('/api/v1/notes', { token, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), headers: JSON_TYPE }),
        ctx.http.post('/api/v1/auth/register', { body: '{', headers: JSON_TYPE }),
        ctx.http.get('/api/v1/auth/me', { headers: { Authorization: 'Bearer x.y.z' } }),
        ctx.http.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${'A'.repeat(8000)}` } }),
        ctx.http.get('/api/v1/notes/99999999999999999999', { token }),
        ctx.http.get('/api/v1/notes/%00', { token }),
        ctx.http.get("/api/v1/notes/1'%20OR%20'1'='1", { token }),
        ctx.http.get('/api/v1/notes?limit=1e309', { token }),
        ctx.http.get("/api/v1/notes?offset=1'--", { token }),
        ctx.http.request('PUT', '/api/v1/notes', { token, json: {} }),
        ctx.http.post('/api/v1/notes', { token, body: 'x', headers: { 'Content-Type': 'text/plain' } }),
        ctx.http.post('/api/v1/notes', { token, json: { title: 'x'.repeat(201), extra: "'; DROP TABLE notes; --" } }),
        ctx.http.post('/api/v1/auth/register', { json: { email: account.email, password: strongPassword() } }),
        ctx.http.post('/api/v1/auth/register', { json: { email: `${uniqueEmail()}\u0000`, password: strongPassword() } }),
        ctx.http.post('/api/v1/auth/login', { json: { email: { $ne: null }, password: { $ne: null } } }),
        ctx.http.get('/no-such-route/../../etc/passwd'),
      ];
      for (const res of await Promise.all(requests)) {
        if (res.status < 400) fail(`${describe(res)}: expected an error status; body: ${show(res.text)}`);
        if (res.status >= 500) fail(`${describe(res)}: a bad request must not cause a server error; body: ${show(res.text)}`);
        if (mediaType(res) !== 'application/problem+json') {
          fail(`${describe(res)}: expected Content-Type application/problem+json, got ${res.headers['content-type'] ?? '(absent)'}`);
        }
        const problem = res.json as Partial<Problem> | undefined;
        if (problem?.status !== res.status || typeof problem.title !== 'string' || problem.type !== 'about:blank') {
          fail(`${describe(res)}: not a problem document for this status: ${show(res.text)}`);
        }
        expectNoInternals(res);
        expectNoBanner(res);
      }
    },
  },
];

/** Runs last: it breaks the server's database for good. */
export const databaseFailureCheck: Check = {
  name: 'errors: a database failure answers 500 problem+json without internals, with the security headers',
  async run(ctx) {
    const breakDatabase = requireOption(ctx, 'breakDatabase');
    const account = await newAccount(ctx, 'errors');
    ctx.spec.expect(await ctx.http.get('/api/v1/notes', { token: account.token }), '/api/v1/notes', 200);
    await breakDatabase();
    const res = await ctx.http.get('/api/v1/notes', { token: account.token });
    const problem = ctx.spec.expect<Problem>(res, '/api/v1/notes', 500);
    if (problem.detail !== undefined) fail(`${describe(res)}: a 500 carries no detail, got detail ${show(problem.detail)}`);
    if (/\bnotes\b|sql|table|relation|database|select/i.test(res.text))
      fail(`${describe(res)}: the body mentions database internals: ${show(res.text)}`);
    expectSecurityHeaders(res);
    expectNoStore(res);
    expectNoBanner(res);
  },
};
