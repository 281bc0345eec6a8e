import { ensure, expectEqual, expectFieldError, expectStatus, fail, show } from '../lib/assert.js';
import { newAccount, register, strongPassword, uniqueEmail, type Check, type Context, type Token, type User } from '../lib/context.js';

const REGISTER = '/api/v1/auth/register';
const LOGIN = '/api/v1/auth/login';
const ME = '/api/v1/auth/me';

async function expectRegister422(ctx: Context, body: Record<string, unknown>, field: string): Promise<void> {
  const res = await ctx.http.post(REGISTER, { json: body });
  ctx.spec.expect(res, REGISTER, 422);
  expectFieldError(res, field);
}

export const authChecks: Check[] = [
  {
    name: 'auth: register answers 201 {id, email} with the email lower-cased',
    async run(ctx) {
      const email = uniqueEmail('Mixed.Case');
      const res = await ctx.http.post(REGISTER, { json: { email: email.toUpperCase(), password: strongPassword() } });
      const user = ctx.spec.expect<User>(res, REGISTER, 201);
      expectEqual(user.email, email.toLowerCase(), 'registered email');
    },
  },
  {
    name: 'auth: register answers 409 for an email already registered',
    async run(ctx) {
      const user = await register(ctx);
      const res = await ctx.http.post(REGISTER, { json: { email: user.email, password: strongPassword() } });
      ctx.spec.expect(res, REGISTER, 409);
    },
  },
  {
    name: 'auth: register answers 409 for an email already registered in another case',
    async run(ctx) {
      const user = await register(ctx);
      const res = await ctx.http.post(REGISTER, { json: { email: user.email.toUpperCase(), password: strongPassword() } });
      ctx.spec.expect(res, REGISTER, 409);
    },
  },
  {
    name: 'auth: register answers 422 for malformed emails',
    async run(ctx) {
      const tooLong = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`; // 260 characters
      for (const email of ['not-an-email', 'no-tld@example', '@example.com', 'two@@example.com', 'spa ce@example.com', tooLong, '']) {
        await expectRegister422(ctx, { email, password: strongPassword() }, 'email');
      }
    },
  },
  {
    name: 'auth: register answers 422 for an 11-character password',
    async run(ctx) {
      await expectRegister422(ctx, { email: uniqueEmail(), password: 'a'.repeat(11) }, 'password');
    },
  },
  {
    name: 'auth: register answers 422 for a 129-character password',
    async run(ctx) {
      await expectRegister422(ctx, { email: uniqueEmail(), password: 'a'.repeat(129) }, 'password');
    },
  },
  {
    name: 'auth: register accepts 12- and 128-character passwords, and both log in',
    async run(ctx) {
      for (const password of ['p'.repeat(12), 'p'.repeat(128)]) {
        const user = await register(ctx, uniqueEmail(), password);
        const res = await ctx.http.post(LOGIN, { json: { email: user.email, password } });
        ctx.spec.expect(res, LOGIN, 200);
      }
    },
  },
  {
    name: 'auth: login answers 200 with a Bearer token that opens /api/v1/auth/me',
    async run(ctx) {
      const user = await register(ctx);
      const token = ctx.spec.expect<Token>(
        await ctx.http.post(LOGIN, { json: { email: user.email, password: user.password } }),
        LOGIN,
        200,
      );
      expectEqual(token.token_type, 'Bearer', 'token_type');
      const me = ctx.spec.expect<User>(await ctx.http.get(ME, { token: token.access_token }), ME, 200);
      expectEqual(me, { id: user.id, email: user.email }, 'GET /api/v1/auth/me body');
    },
  },
  {
    name: 'auth: login accepts the email in another case',
    async run(ctx) {
      const user = await register(ctx);
      const res = await ctx.http.post(LOGIN, { json: { email: user.email.toUpperCase(), password: user.password } });
      ctx.spec.expect(res, LOGIN, 200);
    },
  },
  {
    name: 'auth: login answers the same 401 for an unknown user and a wrong password',
    async run(ctx) {
      const user = await register(ctx);
      const wrong = await ctx.http.post(LOGIN, { json: { email: user.email, password: strongPassword() } });
      const unknown = await ctx.http.post(LOGIN, { json: { email: uniqueEmail('nobody'), password: strongPassword() } });
      const wrongBody = ctx.spec.expect(wrong, LOGIN, 401);
      const unknownBody = ctx.spec.expect(unknown, LOGIN, 401);
      if (JSON.stringify(wrongBody) !== JSON.stringify(unknownBody)) {
        fail(
          `POST ${LOGIN}: a wrong password gave ${show(wrong.text)}, an unknown user gave ${show(unknown.text)}; they must be identical`,
        );
      }
    },
  },
  {
    name: 'auth: login answers 422 for a body without a password',
    async run(ctx) {
      const res = await ctx.http.post(LOGIN, { json: { email: uniqueEmail() } });
      ctx.spec.expect(res, LOGIN, 422);
      expectFieldError(res, 'password');
    },
  },
  {
    name: 'auth: every protected route answers 401 with WWW-Authenticate: Bearer without a token',
    async run(ctx) {
      const owner = await newAccount(ctx);
      const note = ctx.spec.expect<{ id: number }>(
        await ctx.http.post('/api/v1/notes', { token: owner.token, json: { title: 'mine' } }),
        '/api/v1/notes',
        201,
      );
      const routes: [string, string, string, unknown][] = [
        ['GET', ME, ME, undefined],
        ['GET', '/api/v1/notes', '/api/v1/notes', undefined],
        ['POST', '/api/v1/notes', '/api/v1/notes', { title: 'x' }],
        ['GET', `/api/v1/notes/${note.id}`, '/api/v1/notes/{id}', undefined],
        ['PATCH', `/api/v1/notes/${note.id}`, '/api/v1/notes/{id}', { title: 'x' }],
        ['DELETE', `/api/v1/notes/${note.id}`, '/api/v1/notes/{id}', undefined],
      ];
      for (const [method, path, template, json] of routes) {
        const res = await ctx.http.request(method, path, json === undefined ? {} : { json });
        ctx.spec.expect(res, template, 401);
      }
      // Nothing above may have changed the note.
      const still = await ctx.http.get(`/api/v1/notes/${note.id}`, { token: owner.token });
      expectStatus(still, 200);
      ensure((still.json as { title?: unknown }).title === 'mine', `GET /api/v1/notes/${note.id}: the note changed: ${show(still.text)}`);
    },
  },
];
