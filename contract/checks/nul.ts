import { expectFieldError, fail, show } from '../lib/assert.js';
import { createNote, newAccount, strongPassword, uniqueEmail, type Check } from '../lib/context.js';
import type { HttpResponse } from '../lib/http.js';

const NUL = '\u0000';

export const nulChecks: Check[] = [
  {
    name: 'nul: a NUL character in any string of a register, login or note body answers 422 naming the field',
    async run(ctx) {
      const account = await newAccount(ctx, 'nul');
      const note = await createNote(ctx, account, { title: 'clean', body: 'clean' });
      const cases: [string, string, string, () => Promise<HttpResponse>][] = [
        ['register', 'email', '/api/v1/auth/register', () => ctx.http.post('/api/v1/auth/register', { json: { email: `nul${NUL}${uniqueEmail()}`, password: strongPassword() } })],
        ['register', 'password', '/api/v1/auth/register', () => ctx.http.post('/api/v1/auth/register', { json: { email: uniqueEmail(), password: `${strongPassword()}${NUL}x` } })],
        ['login', 'email', '/api/v1/auth/login', () => ctx.http.post('/api/v1/auth/login', { json: { email: `${account.email}${NUL}`, password: account.password } })],
        ['login', 'password', '/api/v1/auth/login', () => ctx.http.post('/api/v1/auth/login', { json: { email: account.email, password: `${NUL}${account.password}` } })],
        ['note create', 'title', '/api/v1/notes', () => ctx.http.post('/api/v1/notes', { token: account.token, json: { title: `a${NUL}b` } })],
        ['note create', 'body', '/api/v1/notes', () => ctx.http.post('/api/v1/notes', { token: account.token, json: { title: 'ok', body: NUL } })],
        ['note update', 'title', '/api/v1/notes/{id}', () => ctx.http.patch(`/api/v1/notes/${note.id}`, { token: account.token, json: { title: `${NUL}` } })],
        ['note update', 'body', '/api/v1/notes/{id}', () => ctx.http.patch(`/api/v1/notes/${note.id}`, { token: account.token, json: { body: `x${NUL}` } })],
      ];
      for (const [what, field, template, send] of cases) {
        const res = await send();
        if (res.status !== 422) fail(`${what} with a NUL in ${field}: ${res.method} ${res.path} → expected 422, got ${res.status}; body: ${show(res.text)}`);
        ctx.spec.expect(res, template, 422);
        expectFieldError(res, field);
      }
      const after = await ctx.http.get(`/api/v1/notes/${note.id}`, { token: account.token });
      const body = ctx.spec.expect<{ title: string; body: string | null }>(after, '/api/v1/notes/{id}', 200);
      if (body.title !== 'clean' || body.body !== 'clean') fail(`the note changed after refused updates: ${show(after.text)}`);
    },
  },
];
