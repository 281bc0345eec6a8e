import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { FastifyInstance } from 'fastify';

import { buildApp } from '../src/app.js';
import { EventBus } from '../src/routes/events.js';
import { authenticatedUser, createTestApp, type TestApp } from './helpers.js';

/** An open event stream, read as text as it arrives. */
interface Stream {
  response: Response;
  /** Resolves with everything received once `text` has arrived. */
  waitFor(text: string): Promise<string>;
  close(): void;
}

describe('the event stream', () => {
  const events = new EventBus();
  let t: TestApp;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    app = await buildApp({ config: t.config, db: t.db, events });
    // A stream never ends, so it is read over a real socket rather than with inject().
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    // fetch keeps its sockets for reuse; the app need not wait for them to time out.
    app.server.closeAllConnections();
    await app.close();
    await t.close();
  });

  async function open(headers: Record<string, string>): Promise<Stream> {
    const abort = new AbortController();
    const response = await fetch(`${base}/api/v1/events`, { headers, signal: abort.signal });
    let text = '';
    const waiters: { text: string; resolve: (all: string) => void }[] = [];
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body ?? []) {
          text += decoder.decode(chunk as Uint8Array, { stream: true });
          for (const waiter of waiters.filter((w) => text.includes(w.text))) waiter.resolve(text);
        }
      } catch {
        // aborted by close()
      }
    })();
    return {
      response,
      waitFor: (expected) =>
        new Promise((resolve) => {
          if (text.includes(expected)) resolve(text);
          else waiters.push({ text: expected, resolve });
        }),
      close: () => {
        abort.abort();
      },
    };
  }

  it('refuses a request without a token or with a bad one', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }]) {
      const response = await fetch(`${base}/api/v1/events`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toMatchObject({ status: 401 });
    }
  });

  it('streams with the security headers and no caching', async () => {
    const user = await authenticatedUser(app);
    const stream = await open(user.headers);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(stream.response.headers.get('cache-control')).toBe('no-store');
      expect(stream.response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(stream.response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      await stream.waitFor(': connected\n\n');
    } finally {
      stream.close();
    }
  });

  it("delivers a user's own note events, and not another user's", async () => {
    const alice = await authenticatedUser(app);
    const bob = await authenticatedUser(app);
    const stream = await open(alice.headers);
    try {
      await stream.waitFor(': connected');
      const bobs = await app.inject({
        method: 'POST',
        url: '/api/v1/notes',
        headers: bob.headers,
        payload: { title: "Bob's" },
      });
      expect(bobs.statusCode).toBe(201);
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/notes',
        headers: alice.headers,
        payload: { title: "Alice's" },
      });
      const { id } = created.json<{ id: number }>();
      await app.inject({
        method: 'PATCH',
        url: `/api/v1/notes/${id}`,
        headers: alice.headers,
        payload: { title: 'Renamed' },
      });
      await app.inject({ method: 'DELETE', url: `/api/v1/notes/${id}`, headers: alice.headers });

      const text = await stream.waitFor('event: note.deleted');
      const delivered = text
        .split('\n\n')
        .filter((block) => block.startsWith('event: '))
        .map((block) => JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as unknown);
      expect(delivered).toEqual([
        { type: 'note.created', id },
        { type: 'note.updated', id },
        { type: 'note.deleted', id },
      ]);
      expect(text).not.toContain(`"id":${bobs.json<{ id: number }>().id}`);
    } finally {
      stream.close();
    }
  });

  it('sends a heartbeat comment every 15 seconds', async () => {
    const user = await authenticatedUser(app);
    // Only the stream's timer is faked: the socket still runs on real time.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const stream = await open(user.headers);
      try {
        await stream.waitFor(': connected');
        vi.advanceTimersByTime(15_000);
        expect(await stream.waitFor(': heartbeat\n\n')).toBe(': connected\n\n: heartbeat\n\n');
      } finally {
        stream.close();
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops delivering to a stream once its client has gone', async () => {
    const user = await authenticatedUser(app);
    const stream = await open(user.headers);
    await stream.waitFor(': connected');
    stream.close();
    // The server sees the socket close a moment later; then nothing listens for this user.
    expect(events.subscribers(user.id)).toBe(1);
    stream.close();
    // The server sees the socket close a moment later; from then on nothing is kept for it.
    await expect.poll(() => events.subscribers(user.id)).toBe(0);
  });
});
