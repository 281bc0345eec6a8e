import { fail, show } from '../lib/assert.js';
import { newAccount, strongPassword, uniqueEmail, type Check, type Problem } from '../lib/context.js';

const MAX_ERRORS = 20;
/** Twenty entries of a field name and a sentence each fit in far less. */
const SMALL_BODY = 8 * 1024;

export const limitChecks: Check[] = [
  {
    name: 'limits: a body with 40 000 unknown keys answers 422 listing at most 20 errors in a small body',
    async run(ctx) {
      const account = await newAccount(ctx, 'limits');
      const keys = (base: Record<string, unknown>): string => {
        const entries = Array.from({ length: 40_000 }, (_, i) => `"k${i}":0`).join(',');
        return `${JSON.stringify(base).slice(0, -1)},${entries}}`;
      };
      const requests: [string, string, string, string | undefined][] = [
        ['/api/v1/notes', '/api/v1/notes', keys({ title: 'keys' }), account.token],
        ['/api/v1/auth/register', '/api/v1/auth/register', keys({ email: uniqueEmail(), password: strongPassword() }), undefined],
      ];
      for (const [path, template, body, token] of requests) {
        const res = await ctx.http.post(path, { body, headers: { 'Content-Type': 'application/json' }, ...(token ? { token } : {}) });
        const problem = ctx.spec.expect<Problem>(res, template, 422);
        const count = problem.errors?.length ?? 0;
        if (count > MAX_ERRORS) fail(`POST ${path} with 40 000 unknown keys: expected at most ${MAX_ERRORS} errors, got ${count}`);
        if (Buffer.byteLength(res.text) > SMALL_BODY) {
          fail(`POST ${path} with 40 000 unknown keys: expected a body under ${SMALL_BODY} bytes, got ${Buffer.byteLength(res.text)}: ${show(res.text)}`);
        }
      }
    },
  },
  {
    name: 'limits: a JSON body declared in a charset other than UTF-8 answers 415; charset=UTF-8 in any case is accepted',
    async run(ctx) {
      const account = await newAccount(ctx, 'limits');
      const body = JSON.stringify({ title: 'charset' });
      const post = (contentType: string) => ctx.http.post('/api/v1/notes', { token: account.token, body, headers: { 'Content-Type': contentType } });
      for (const type of ['application/json; charset=utf-7', 'application/json; charset=latin-1', 'application/json; charset=iso-8859-1', 'application/json; charset=utf-16']) {
        const res = await post(type);
        if (res.status !== 415) fail(`POST /api/v1/notes with Content-Type: ${type}: expected 415, got ${res.status}; body: ${show(res.text)}`);
        ctx.spec.expect(res, '/api/v1/notes', 415);
      }
      const login = await ctx.http.post('/api/v1/auth/login', {
        body: JSON.stringify({ email: account.email, password: account.password }),
        headers: { 'Content-Type': 'application/json; charset=UTF-7' },
      });
      if (login.status !== 415) fail(`POST /api/v1/auth/login with Content-Type: application/json; charset=UTF-7: expected 415, got ${login.status}`);
      ctx.spec.expect(login, '/api/v1/auth/login', 415);
      for (const type of ['application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json;charset=Utf-8']) {
        ctx.spec.expect(await post(type), '/api/v1/notes', 201);
      }
    },
  },
];
