import { randomUUID } from 'node:crypto';
import { expectEqual, expectFieldError, fail, show } from '../lib/assert.js';
import { strongPassword, uniqueEmail, type Check, type Token, type User } from '../lib/context.js';

const REGISTER = '/api/v1/auth/register';
const LOGIN = '/api/v1/auth/login';

export const emailChecks: Check[] = [
  {
    name: 'emails: register refuses non-ASCII, malformed and space-padded emails (422, field email)',
    async run(ctx) {
      const cases: [string, string][] = [
        ['josé@example.com', 'a non-ASCII local part'],
        [`${'İ'.repeat(130)}@example.com`, 'a non-ASCII local part that grows when lower-cased'],
        ['a@exämple.com', 'a non-ASCII domain'],
        ['0@0.com*', 'a character after the top-level domain'],
        ['a..b@example.com', 'two dots in a row'],
        ['.a@example.com', 'a leading dot'],
        ['a.@example.com', 'a dot before the @'],
        ['a@-x.com', 'a label starting with a hyphen'],
        ['a@x-.com', 'a label ending with a hyphen'],
        [`${'a'.repeat(65)}@example.com`, 'a local part of 65 characters'],
        [` ${uniqueEmail('padded')}`, 'a leading space'],
        [`${uniqueEmail('padded')} `, 'a trailing space'],
        [`\t${uniqueEmail('padded')}\n`, 'a surrounding tab and newline'],
      ];
      for (const [email, why] of cases) {
        const res = await ctx.http.post(REGISTER, { json: { email, password: strongPassword() } });
        if (res.status !== 422) fail(`POST ${REGISTER} with email ${show(email, 80)} (${why}): expected 422, got ${res.status}; body: ${show(res.text)}`);
        ctx.spec.expect(res, REGISTER, 422);
        expectFieldError(res, 'email');
      }
    },
  },
  {
    name: 'emails: register answers Ada@Example.COM lower-cased; the address in any case is the same account',
    async run(ctx) {
      const email = `Ada.${randomUUID()}@Example.COM`;
      const password = strongPassword();
      const created = ctx.spec.expect<User>(await ctx.http.post(REGISTER, { json: { email, password } }), REGISTER, 201);
      expectEqual(created.email, email.toLowerCase(), `email answered for ${email}`);
      const again = await ctx.http.post(REGISTER, { json: { email: email.toLowerCase(), password: strongPassword() } });
      ctx.spec.expect(again, REGISTER, 409);
      const token = ctx.spec.expect<Token>(await ctx.http.post(LOGIN, { json: { email, password } }), LOGIN, 200);
      const me = ctx.spec.expect<User>(await ctx.http.get('/api/v1/auth/me', { token: token.access_token }), '/api/v1/auth/me', 200);
      expectEqual(me, created, 'GET /api/v1/auth/me after logging in with the mixed-case address');
    },
  },
];
