import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { authenticatedUser, createTestApp, expectProblem, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type User = Awaited<ReturnType<typeof authenticatedUser>>;
interface Note {
  id: number;
  title: string;
  body: string | null;
  created_at: string;
  updated_at: string;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function createNote(user: User, payload: object) {
  return t.app.inject({ method: 'POST', url: '/api/v1/notes', headers: user.headers, payload });
}

async function newNote(user: User, title = 'A note', body: string | null = 'Some text') {
  const response = await createNote(user, { title, body });
  expect(response.statusCode).toBe(201);
  return response.json<Note>();
}

describe('notes', () => {
  it('creates, reads, updates and deletes a note', async () => {
    const user = await authenticatedUser(t.app);
    const created = await newNote(user, 'Groceries', 'milk, eggs');
    expect(created).toEqual({
      id: expect.any(Number),
      title: 'Groceries',
      body: 'milk, eggs',
      created_at: expect.stringMatching(ISO_UTC),
      updated_at: expect.stringMatching(ISO_UTC),
    });

    const url = `/api/v1/notes/${created.id}`;
    const read = await t.app.inject({ method: 'GET', url, headers: user.headers });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(created);

    const patched = await t.app.inject({
      method: 'PATCH',
      url,
      headers: user.headers,
      payload: { body: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: created.id, title: 'Groceries', body: null });

    const retitled = await t.app.inject({
      method: 'PATCH',
      url,
      headers: user.headers,
      payload: { title: 'Shopping' },
    });
    expect(retitled.json()).toMatchObject({ title: 'Shopping', body: null });

    const deleted = await t.app.inject({ method: 'DELETE', url, headers: user.headers });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expectProblem(await t.app.inject({ method: 'GET', url, headers: user.headers }), 404);
    expectProblem(await t.app.inject({ method: 'DELETE', url, headers: user.headers }), 404);
  });

  it('stores an omitted body as null', async () => {
    const user = await authenticatedUser(t.app);
    const response = await createNote(user, { title: 'Title only' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ body: null });
  });

  it('counts title and body lengths in code points', async () => {
    const user = await authenticatedUser(t.app);
    expect((await createNote(user, { title: '📝'.repeat(200) })).statusCode).toBe(201);
    expectProblem(await createNote(user, { title: '📝'.repeat(201) }), 422);
    expect((await createNote(user, { title: 't', body: 'é'.repeat(10_000) })).statusCode).toBe(201);
    expectProblem(await createNote(user, { title: 't', body: 'é'.repeat(10_001) }), 422);
    expectProblem(await createNote(user, { title: '' }), 422);
  });

  it('rejects a null title on update', async () => {
    const user = await authenticatedUser(t.app);
    const note = await newNote(user);
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/notes/${note.id}`,
      headers: user.headers,
      payload: { title: null },
    });
    expect(expectProblem(response, 422).errors).toContainEqual(
      expect.objectContaining({ field: 'title' }),
    );
  });

  it.each(['abc', '1.5', '0', '-1', '99999999999999999999'])(
    'answers 404 for the id %s',
    async (id) => {
      const user = await authenticatedUser(t.app);
      const url = `/api/v1/notes/${id}`;
      expectProblem(await t.app.inject({ method: 'GET', url, headers: user.headers }), 404);
      expectProblem(await t.app.inject({ method: 'DELETE', url, headers: user.headers }), 404);
    },
  );

  it('requires a token on every notes route', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/notes'],
      ['POST', '/api/v1/notes'],
      ['GET', '/api/v1/notes/1'],
      ['PATCH', '/api/v1/notes/1'],
      ['DELETE', '/api/v1/notes/1'],
    ] as const) {
      expectProblem(await t.app.inject({ method, url, payload: { title: 'x' } }), 401);
    }
  });
});

describe('pagination', () => {
  it('pages through the notes in id order with the total', async () => {
    const user = await authenticatedUser(t.app);
    const ids: number[] = [];
    for (const title of ['one', 'two', 'three', 'four', 'five']) {
      ids.push((await newNote(user, title)).id);
    }
    const page = async (query: string) => {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/v1/notes${query}`,
        headers: user.headers,
      });
      expect(response.statusCode).toBe(200);
      return response.json<{ items: Note[]; total: number; limit: number; offset: number }>();
    };

    const first = await page('?limit=2');
    expect(first).toMatchObject({ total: 5, limit: 2, offset: 0 });
    expect(first.items.map((note) => note.id)).toEqual(ids.slice(0, 2));

    const last = await page('?limit=2&offset=4');
    expect(last).toMatchObject({ total: 5, limit: 2, offset: 4 });
    expect(last.items.map((note) => note.title)).toEqual(['five']);

    const beyond = await page('?offset=10');
    expect(beyond).toMatchObject({ items: [], total: 5, limit: 20, offset: 10 });

    const farthest = await page(`?offset=${Number.MAX_SAFE_INTEGER}`);
    expect(farthest).toMatchObject({ items: [], total: 5, offset: Number.MAX_SAFE_INTEGER });

    const all = await page('');
    expect(all.items.map((note) => note.id)).toEqual(ids);
  });

  it.each([
    'limit=0',
    'limit=101',
    'limit=abc',
    'limit=2.5',
    'limit=1e309',
    'offset=-1',
    'offset=x',
    'offset=99999999999999999999',
    'offset=1e309',
    'limit=1e2',
    'limit=10.0',
    'limit=+5',
    'offset=-0',
  ])('answers 422 for %s', async (query) => {
    const user = await authenticatedUser(t.app);
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/notes?${query}`,
      headers: user.headers,
    });
    const [name] = query.split('=');
    expect(expectProblem(response, 422).errors).toContainEqual(
      expect.objectContaining({ field: name }),
    );
  });
});

describe('owner isolation', () => {
  it("hides another user's notes as if they did not exist", async () => {
    const owner = await authenticatedUser(t.app);
    const intruder = await authenticatedUser(t.app);
    const note = await newNote(owner, 'Private');
    const url = `/api/v1/notes/${note.id}`;

    expectProblem(await t.app.inject({ method: 'GET', url, headers: intruder.headers }), 404);
    expectProblem(
      await t.app.inject({
        method: 'PATCH',
        url,
        headers: intruder.headers,
        payload: { title: 'x' },
      }),
      404,
    );
    expectProblem(await t.app.inject({ method: 'DELETE', url, headers: intruder.headers }), 404);

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notes',
      headers: intruder.headers,
    });
    expect(list.json()).toMatchObject({ items: [], total: 0 });

    const still = await t.app.inject({ method: 'GET', url, headers: owner.headers });
    expect(still.json()).toMatchObject({ title: 'Private' });
  });
});
