import { ensure, expectEqual, expectFieldError, fail, show } from '../lib/assert.js';
import { createNote, getNote, newAccount, type Check, type Note, type NoteList } from '../lib/context.js';

const NOTES = '/api/v1/notes';
const NOTE = '/api/v1/notes/{id}';

const isUtc = (time: string): boolean => /(?:Z|[+-]00:?00)$/i.test(time);

export const noteChecks: Check[] = [
  {
    name: 'notes: create (201), read (200), update (200) and delete (204) a note',
    async run(ctx) {
      const owner = await newAccount(ctx, 'notes');
      const created = await createNote(ctx, owner, { title: 'First', body: 'Hello' });
      expectEqual(created.body, 'Hello', 'created note body');
      for (const time of [created.created_at, created.updated_at]) ensure(isUtc(time), `note time ${time} is not UTC`);

      expectEqual(await getNote(ctx, owner, created.id), created, `GET ${NOTES}/${created.id} body`);

      const patched = ctx.spec.expect<Note>(
        await ctx.http.patch(`${NOTES}/${created.id}`, { token: owner.token, json: { title: 'Renamed', body: 'Changed' } }),
        NOTE,
        200,
      );
      expectEqual({ ...patched, updated_at: '' }, { ...created, title: 'Renamed', body: 'Changed', updated_at: '' }, 'PATCHed note');
      ensure(
        Date.parse(patched.updated_at) >= Date.parse(created.updated_at),
        `updated_at went back in time: ${created.updated_at} → ${patched.updated_at}`,
      );
      expectEqual(await getNote(ctx, owner, created.id), patched, `GET ${NOTES}/${created.id} after PATCH`);

      ctx.spec.expect(await ctx.http.delete(`${NOTES}/${created.id}`, { token: owner.token }), NOTE, 204);
      ctx.spec.expect(await ctx.http.get(`${NOTES}/${created.id}`, { token: owner.token }), NOTE, 404);
      ctx.spec.expect(await ctx.http.delete(`${NOTES}/${created.id}`, { token: owner.token }), NOTE, 404);
    },
  },
  {
    name: 'notes: body is optional (omitted → null) and nullable',
    async run(ctx) {
      const owner = await newAccount(ctx, 'notes');
      const omitted = await createNote(ctx, owner, { title: 'No body' });
      expectEqual(omitted.body, null, 'body of a note created without one');
      const explicit = await createNote(ctx, owner, { title: 'Null body', body: null });
      expectEqual(explicit.body, null, 'body of a note created with body null');
      const empty = await createNote(ctx, owner, { title: 'Empty body', body: '' });
      expectEqual(empty.body, '', 'body of a note created with an empty body');
    },
  },
  {
    name: 'notes: PATCH changes only the fields it sends, and body can be set to null',
    async run(ctx) {
      const owner = await newAccount(ctx, 'notes');
      const note = await createNote(ctx, owner, { title: 'Title', body: 'Body' });
      const path = `${NOTES}/${note.id}`;
      const titleOnly = ctx.spec.expect<Note>(await ctx.http.patch(path, { token: owner.token, json: { title: 'New title' } }), NOTE, 200);
      expectEqual([titleOnly.title, titleOnly.body], ['New title', 'Body'], 'title and body after PATCH {title}');
      const bodyOnly = ctx.spec.expect<Note>(await ctx.http.patch(path, { token: owner.token, json: { body: 'New body' } }), NOTE, 200);
      expectEqual([bodyOnly.title, bodyOnly.body], ['New title', 'New body'], 'title and body after PATCH {body}');
      const cleared = ctx.spec.expect<Note>(await ctx.http.patch(path, { token: owner.token, json: { body: null } }), NOTE, 200);
      expectEqual([cleared.title, cleared.body], ['New title', null], 'title and body after PATCH {body: null}');
    },
  },
  {
    name: 'notes: the list is paginated ({items, total, limit, offset}) and ordered by id',
    async run(ctx) {
      const owner = await newAccount(ctx, 'notes');
      const created: Note[] = [];
      for (const title of ['one', 'two', 'three']) created.push(await createNote(ctx, owner, { title }));
      const ids = created.map((note) => note.id);
      ensure(ids[0]! < ids[1]! && ids[1]! < ids[2]!, `ids of notes created one after another must increase, got ${show(ids)}`);

      const page = async (query: string): Promise<NoteList> =>
        ctx.spec.expect<NoteList>(await ctx.http.get(`${NOTES}${query}`, { token: owner.token }), NOTES, 200);

      const all = await page('');
      expectEqual({ ...all, items: all.items.map((n) => n.id) }, { items: ids, total: 3, limit: 20, offset: 0 }, `GET ${NOTES}`);
      expectEqual(all.items, created, `GET ${NOTES} items`);
      const first = await page('?limit=2');
      expectEqual(
        { ...first, items: first.items.map((n) => n.id) },
        { items: ids.slice(0, 2), total: 3, limit: 2, offset: 0 },
        `GET ${NOTES}?limit=2`,
      );
      const second = await page('?limit=2&offset=2');
      expectEqual(
        { ...second, items: second.items.map((n) => n.id) },
        { items: ids.slice(2), total: 3, limit: 2, offset: 2 },
        `GET ${NOTES}?limit=2&offset=2`,
      );
      const middle = await page('?offset=1&limit=1');
      expectEqual(
        middle.items.map((n) => n.id),
        [ids[1]],
        `GET ${NOTES}?offset=1&limit=1 ids`,
      );
      const beyond = await page('?offset=10');
      expectEqual({ ...beyond, items: beyond.items.length }, { items: 0, total: 3, limit: 20, offset: 10 }, `GET ${NOTES}?offset=10`);
      const bounds = [await page('?limit=1'), await page('?limit=100')];
      expectEqual(
        bounds.map((p) => [p.limit, p.items.length]),
        [
          [1, 1],
          [100, 3],
        ],
        'limit=1 and limit=100 pages',
      );
    },
  },
  {
    name: 'notes: limit outside 1..100 or offset below 0 (or not plain decimal integers) answer 422',
    async run(ctx) {
      const owner = await newAccount(ctx, 'notes');
      const cases: [string, string][] = [
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=-1', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=1.5', 'limit'],
        ['offset=-1', 'offset'],
        ['offset=abc', 'offset'],
        // Only decimal digits: number syntaxes a lenient parser might coerce are refused too.
        ['limit=1e1', 'limit'],
        ['limit=10.0', 'limit'],
        ['limit=%2B5', 'limit'],
        ['offset=-0', 'offset'],
      ];
      for (const [query, field] of cases) {
        const res = await ctx.http.get(`${NOTES}?${query}`, { token: owner.token });
        ctx.spec.expect(res, NOTES, 422);
        expectFieldError(res, field);
      }
    },
  },
  {
    name: "notes: another user's note answers 404 to GET, PATCH and DELETE and stays unchanged",
    async run(ctx) {
      const alice = await newAccount(ctx, 'alice');
      const bob = await newAccount(ctx, 'bob');
      const note = await createNote(ctx, alice, { title: "Alice's", body: 'private' });
      const path = `${NOTES}/${note.id}`;
      ctx.spec.expect(await ctx.http.get(path, { token: bob.token }), NOTE, 404);
      ctx.spec.expect(await ctx.http.patch(path, { token: bob.token, json: { title: 'taken' } }), NOTE, 404);
      ctx.spec.expect(await ctx.http.delete(path, { token: bob.token }), NOTE, 404);
      expectEqual(await getNote(ctx, alice, note.id), note, `${path} for its owner after another user's attempts`);
    },
  },
  {
    name: "notes: a user's list never includes another user's notes",
    async run(ctx) {
      const alice = await newAccount(ctx, 'alice');
      const bob = await newAccount(ctx, 'bob');
      const aliceNote = await createNote(ctx, alice, { title: "Alice's" });
      const bobNote = await createNote(ctx, bob, { title: "Bob's" });
      const list = ctx.spec.expect<NoteList>(await ctx.http.get(`${NOTES}?limit=100`, { token: bob.token }), NOTES, 200);
      expectEqual(
        { ids: list.items.map((n) => n.id), total: list.total },
        { ids: [bobNote.id], total: 1 },
        `GET ${NOTES} for the second user`,
      );
      if (list.items.some((n) => n.id === aliceNote.id))
        fail(`GET ${NOTES} for the second user lists the first user's note ${aliceNote.id}`);
    },
  },
  {
    name: 'notes: unknown and non-integer ids answer 404',
    async run(ctx) {
      const owner = await newAccount(ctx, 'notes');
      const note = await createNote(ctx, owner, { title: 'exists' });
      for (const id of [String(note.id + 1_000_000), '0', '-1', 'abc', '1.5', `${note.id}abc`, '99999999999999999999']) {
        const res = await ctx.http.get(`${NOTES}/${id}`, { token: owner.token });
        ctx.spec.expect(res, NOTE, 404);
      }
      ctx.spec.expect(await ctx.http.patch(`${NOTES}/abc`, { token: owner.token, json: { title: 'x' } }), NOTE, 404);
      ctx.spec.expect(await ctx.http.delete(`${NOTES}/abc`, { token: owner.token }), NOTE, 404);
    },
  },
];
