import { fail, show } from '../lib/assert.js';
import { createNote, newAccount, type Check, type Note } from '../lib/context.js';
import type { HttpResponse } from '../lib/http.js';

const NOTES = '/api/v1/notes';
const NOTE = '/api/v1/notes/{id}';
const ROUNDS = 20;

function expectOneOf(res: HttpResponse, statuses: number[], what: string): void {
  if (!statuses.includes(res.status)) fail(`${what}: ${res.method} ${res.path} → expected ${statuses.join(' or ')}, got ${res.status}; body: ${show(res.text)}`);
}

export const concurrencyChecks: Check[] = [
  {
    name: 'concurrency: a PATCH racing a DELETE never answers 500 and never brings the note back (20 rounds)',
    async run(ctx) {
      const owner = await newAccount(ctx, 'race');
      for (let round = 1; round <= ROUNDS; round++) {
        const note = await createNote(ctx, owner, { title: `race ${round}` });
        const path = `${NOTES}/${note.id}`;
        const [patch, del] = await Promise.all([
          ctx.http.patch(path, { token: owner.token, json: { title: `patched ${round}`, body: 'after' } }),
          ctx.http.delete(path, { token: owner.token }),
        ]);
        expectOneOf(patch, [200, 404], `round ${round}, the PATCH racing a DELETE`);
        expectOneOf(del, [204], `round ${round}, the DELETE racing a PATCH`);
        ctx.spec.expect(patch, NOTE, patch.status);
        ctx.spec.expect(del, NOTE, 204);
        const after = await ctx.http.get(path, { token: owner.token });
        if (after.status !== 404) fail(`round ${round}: the note came back after PATCH (${patch.status}) raced DELETE (204): GET ${path} → ${after.status}; body: ${show(after.text)}`);
        ctx.spec.expect(after, NOTE, 404);
      }
      const list = ctx.spec.expect<{ total: number }>(await ctx.http.get(NOTES, { token: owner.token }), NOTES, 200);
      if (list.total !== 0) fail(`after ${ROUNDS} rounds of PATCH racing DELETE the owner still has ${list.total} notes, expected 0`);
    },
  },
  {
    name: 'concurrency: two racing PATCHes never answer 500; the note ends as one of them (20 rounds)',
    async run(ctx) {
      const owner = await newAccount(ctx, 'race');
      for (let round = 1; round <= ROUNDS; round++) {
        const note = await createNote(ctx, owner, { title: 'start', body: 'start' });
        const path = `${NOTES}/${note.id}`;
        const bodies = [
          { title: `left ${round}`, body: 'left' },
          { title: `right ${round}`, body: 'right' },
        ];
        const answers = await Promise.all(bodies.map((json) => ctx.http.patch(path, { token: owner.token, json })));
        answers.forEach((res, i) => {
          expectOneOf(res, [200], `round ${round}, racing PATCH ${i + 1}`);
          ctx.spec.expect(res, NOTE, 200);
        });
        const final = ctx.spec.expect<Note>(await ctx.http.get(path, { token: owner.token }), NOTE, 200);
        if (!bodies.some((b) => b.title === final.title && b.body === final.body)) {
          fail(`round ${round}: after two racing PATCHes the note is ${show({ title: final.title, body: final.body })}, expected one of ${show(bodies)}`);
        }
      }
    },
  },
  {
    name: 'concurrency: 8 parallel DELETEs of one note answer exactly one 204, the rest 404 (10 rounds)',
    async run(ctx) {
      const owner = await newAccount(ctx, 'race');
      for (let round = 1; round <= 10; round++) {
        const note = await createNote(ctx, owner, { title: `delete ${round}` });
        const path = `${NOTES}/${note.id}`;
        const answers = await Promise.all(Array.from({ length: 8 }, () => ctx.http.delete(path, { token: owner.token })));
        const statuses = answers.map((res) => res.status);
        const deleted = statuses.filter((s) => s === 204).length;
        if (deleted !== 1 || statuses.some((s) => s !== 204 && s !== 404)) {
          fail(`round ${round}: 8 parallel DELETE ${path} answered ${statuses.join(', ')}; expected exactly one 204 and seven 404`);
        }
        for (const res of answers) ctx.spec.expect(res, NOTE, res.status);
      }
    },
  },
];
