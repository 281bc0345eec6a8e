import { expectEqual, expectFieldError } from '../lib/assert.js';
import { createNote, newAccount, strongPassword, uniqueEmail, type Account, type Check, type Context, type Note } from '../lib/context.js';
import type { RequestOptions } from '../lib/http.js';

const NOTES = '/api/v1/notes';
const NOTE = '/api/v1/notes/{id}';
const REGISTER = '/api/v1/auth/register';
const MIB = 1024 * 1024;

/** Creating a note with `json` must answer 422 naming `field` (when given). */
async function rejectNote(ctx: Context, account: Account, json: unknown, field?: string): Promise<void> {
  const res = await ctx.http.post(NOTES, { token: account.token, json });
  ctx.spec.expect(res, NOTES, 422);
  if (field !== undefined) expectFieldError(res, field);
}

async function rejectPatch(ctx: Context, account: Account, note: Note, json: unknown, field: string): Promise<void> {
  const res = await ctx.http.patch(`${NOTES}/${note.id}`, { token: account.token, json });
  ctx.spec.expect(res, NOTE, 422);
  expectFieldError(res, field);
}

export const validationChecks: Check[] = [
  {
    name: 'validation: unknown fields answer 422 (note create, note update, register)',
    async run(ctx) {
      const owner = await newAccount(ctx, 'validation');
      await rejectNote(ctx, owner, { title: 'ok', color: 'red' }, 'color');
      await rejectNote(ctx, owner, { title: 'ok', id: 1 }, 'id');
      const note = await createNote(ctx, owner, { title: 'ok' });
      await rejectPatch(ctx, owner, note, { owner_id: 1 }, 'owner_id');
      const res = await ctx.http.post(REGISTER, { json: { email: uniqueEmail(), password: strongPassword(), is_admin: true } });
      ctx.spec.expect(res, REGISTER, 422);
      expectFieldError(res, 'is_admin');
    },
  },
  {
    name: 'validation: fields of the wrong type answer 422',
    async run(ctx) {
      const owner = await newAccount(ctx, 'validation');
      await rejectNote(ctx, owner, { title: 123 }, 'title');
      await rejectNote(ctx, owner, { title: ['a'] }, 'title');
      await rejectNote(ctx, owner, { title: 'ok', body: 5 }, 'body');
      await rejectNote(ctx, owner, { title: 'ok', body: { text: 'x' } }, 'body');
      const note = await createNote(ctx, owner, { title: 'ok' });
      await rejectPatch(ctx, owner, note, { title: null }, 'title');
      await rejectPatch(ctx, owner, note, { title: true }, 'title');
      const res = await ctx.http.post(REGISTER, { json: { email: 42, password: strongPassword() } });
      ctx.spec.expect(res, REGISTER, 422);
      expectFieldError(res, 'email');
    },
  },
  {
    name: 'validation: a missing required field answers 422',
    async run(ctx) {
      const owner = await newAccount(ctx, 'validation');
      await rejectNote(ctx, owner, {}, 'title');
      await rejectNote(ctx, owner, { body: 'no title' }, 'title');
      const res = await ctx.http.post(REGISTER, { json: { password: strongPassword() } });
      ctx.spec.expect(res, REGISTER, 422);
      expectFieldError(res, 'email');
    },
  },
  {
    name: 'validation: a title of 0 or 201 characters answers 422; 1 and 200 are accepted',
    async run(ctx) {
      const owner = await newAccount(ctx, 'validation');
      await rejectNote(ctx, owner, { title: '' }, 'title');
      await rejectNote(ctx, owner, { title: 'x'.repeat(201) }, 'title');
      await createNote(ctx, owner, { title: 'x' });
      const note = await createNote(ctx, owner, { title: 'x'.repeat(200) });
      await rejectPatch(ctx, owner, note, { title: '' }, 'title');
      await rejectPatch(ctx, owner, note, { title: 'y'.repeat(201) }, 'title');
    },
  },
  {
    name: 'validation: a body of 10001 characters answers 422; 10000 is accepted',
    async run(ctx) {
      const owner = await newAccount(ctx, 'validation');
      await rejectNote(ctx, owner, { title: 'long', body: 'b'.repeat(10_001) }, 'body');
      const note = await createNote(ctx, owner, { title: 'long', body: 'b'.repeat(10_000) });
      expectEqual(note.body?.length, 10_000, 'length of a stored 10000-character body');
      await rejectPatch(ctx, owner, note, { body: 'c'.repeat(10_001) }, 'body');
    },
  },
  {
    name: 'validation: lengths count code points (a title of 200 emoji is accepted, 201 is not)',
    async run(ctx) {
      const owner = await newAccount(ctx, 'validation');
      const title = '😀'.repeat(200); // 400 UTF-16 code units, 800 UTF-8 bytes
      const note = await createNote(ctx, owner, { title, body: '🎉'.repeat(10_000) });
      expectEqual(note.title, title, 'title of 200 emoji as stored');
      await rejectNote(ctx, owner, { title: '😀'.repeat(201) }, 'title');
    },
  },
  {
    name: 'validation: JSON that is not an object answers 422',
    async run(ctx) {
      const owner = await newAccount(ctx, 'validation');
      for (const body of ['[]', '[{"title":"x"}]', '"title"', '42', 'true', 'null']) {
        const res = await ctx.http.post(NOTES, { token: owner.token, body, headers: { 'Content-Type': 'application/json' } });
        ctx.spec.expect(res, NOTES, 422);
      }
    },
  },
  {
    name: 'validation: a body over 1 MiB answers 413',
    async run(ctx) {
      const owner = await newAccount(ctx, 'validation');
      // Valid JSON, so the size alone is what is refused.
      const json = JSON.stringify({ title: 'big', body: 'x'.repeat(MIB) });
      const options: RequestOptions = { token: owner.token, body: json, headers: { 'Content-Type': 'application/json' } };
      ctx.spec.expect(await ctx.http.post(NOTES, options), NOTES, 413);
      const register = JSON.stringify({ email: uniqueEmail(), password: 'p'.repeat(MIB + 1) });
      ctx.spec.expect(await ctx.http.post(REGISTER, { body: register, headers: { 'Content-Type': 'application/json' } }), REGISTER, 413);
    },
  },
  {
    name: 'validation: a content type other than application/json answers 415',
    async run(ctx) {
      const owner = await newAccount(ctx, 'validation');
      const json = JSON.stringify({ title: 'typed' });
      const post = (contentType: string, body = json) =>
        ctx.http.post(NOTES, { token: owner.token, body, headers: { 'Content-Type': contentType } });
      ctx.spec.expect(await post('text/plain'), NOTES, 415);
      ctx.spec.expect(await post('application/x-www-form-urlencoded', 'title=typed'), NOTES, 415);
      ctx.spec.expect(
        await post('multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\ntyped\r\n--x--\r\n'),
        NOTES,
        415,
      );
      const login = await ctx.http.post('/api/v1/auth/login', {
        body: `email=${encodeURIComponent(owner.email)}&password=${encodeURIComponent(owner.password)}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      ctx.spec.expect(login, '/api/v1/auth/login', 415);
      // The charset parameter is not a different content type.
      ctx.spec.expect(await post('application/json; charset=utf-8'), NOTES, 201);
    },
  },
  {
    name: 'validation: malformed JSON answers 400',
    async run(ctx) {
      const owner = await newAccount(ctx, 'validation');
      for (const body of ['{"title": "x"', '{title: "x"}', "{'title': 'x'}", '{"title": "x",}', 'not json']) {
        const res = await ctx.http.post(NOTES, { token: owner.token, body, headers: { 'Content-Type': 'application/json' } });
        ctx.spec.expect(res, NOTES, 400);
      }
      const res = await ctx.http.post(REGISTER, { body: '{"email": ', headers: { 'Content-Type': 'application/json' } });
      ctx.spec.expect(res, REGISTER, 400);
    },
  },
];
