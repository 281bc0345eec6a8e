/**
 * Checks of the event stream a realtime project serves (`GET /api/v1/events`), run only when the
 * document describes it: authenticated, and each user hears only of their own records.
 */
import { ensure, expectEqual, fail } from '../lib/assert.js';
import { createNote, newAccount, type Check, type Context } from '../lib/context.js';
import { openStream } from '../lib/http.js';
import type { Spec } from '../lib/openapi.js';

const EVENTS = '/api/v1/events';
/** How long a delivered event may take, and how long silence must last to count as nothing. */
const DELIVERY_MS = 5_000;
const QUIET_MS = 1_000;

const checks: Check[] = [
  {
    name: 'events: the stream answers 401 problem+json without a token and with a bad one',
    async run(ctx: Context) {
      for (const token of [undefined, 'not-a-token']) {
        const res = await ctx.http.get(EVENTS, token === undefined ? {} : { token });
        if (res.status !== 401) fail(`GET ${EVENTS} ${token === undefined ? 'without a token' : 'with a bad token'} → expected 401, got ${res.status}`);
        ctx.spec.expect(res, EVENTS, 401);
      }
    },
  },
  {
    name: "events: a user's stream carries their own note events and not another user's, with no-store",
    async run(ctx: Context) {
      const alice = await newAccount(ctx, 'events-a');
      const bob = await newAccount(ctx, 'events-b');
      const aliceStream = await openStream(ctx.http, EVENTS, alice.token);
      const bobStream = await openStream(ctx.http, EVENTS, bob.token);
      try {
        for (const stream of [aliceStream, bobStream]) {
          expectEqual(stream.status, 200, `GET ${EVENTS} status`);
          ensure(/^text\/event-stream\b/.test(stream.headers['content-type'] ?? ''), `GET ${EVENTS}: Content-Type is ${stream.headers['content-type']}, expected text/event-stream`);
          expectEqual(stream.headers['cache-control'], 'no-store', `GET ${EVENTS}: Cache-Control`);
          expectEqual(stream.headers['x-content-type-options'], 'nosniff', `GET ${EVENTS}: X-Content-Type-Options`);
        }
        const note = await createNote(ctx, alice, { title: 'heard only by its owner' });
        const id = new RegExp(`"id":\\s*${note.id}\\b`);
        const text = await aliceStream.waitFor(new RegExp(`event: note\\.created\\ndata: .*${id.source}`), DELIVERY_MS);
        ensure(id.test(text), `the owner's stream names note ${note.id}`);
        await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
        if (/note\.created/.test(bobStream.received())) fail(`another user's stream received the owner's event: ${JSON.stringify(bobStream.received().slice(-200))}`);
      } finally {
        aliceStream.close();
        bobStream.close();
      }
    },
  },
];

/** The event-stream checks, when the document has the stream; none otherwise. */
export function eventChecks(spec: Spec): Check[] {
  const paths = (spec.document.paths ?? {}) as Record<string, unknown>;
  return EVENTS in paths ? checks : [];
}
