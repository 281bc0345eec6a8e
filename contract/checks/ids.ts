import { expectEqual, expectFieldError, fail, show } from '../lib/assert.js';
import { newAccount, type Check, type Context } from '../lib/context.js';
import { documentedResources, requiredBody, type DocumentedResource } from './resources.js';

type Json = Record<string, unknown>;

/** 2^53 − 1: the largest id the contract allows (every JSON client holds it exactly). */
const MAX_ID = 9_007_199_254_740_991n;

/** Every resource of the document, notes included, with one item of a fresh owner. */
async function eachResource(ctx: Context, run: (resource: DocumentedResource, token: string, item: Json) => Promise<void>): Promise<void> {
  const owner = await newAccount(ctx, 'ids');
  for (const resource of documentedResources(ctx.spec, [])) {
    const res = await ctx.http.post(resource.collection, { token: owner.token, json: requiredBody(resource) });
    await run(resource, owner.token, ctx.spec.expect<Json>(res, resource.collection, 201));
  }
}

/** Ids that are not the decimal integer of an item, each with why; some of them name the item in another way. */
function foreignIds(id: number): [string, string][] {
  const big = BigInt(id);
  const arabic = String(id).replace(/\d/g, (d) => encodeURIComponent(String.fromCodePoint(0x0660 + Number(d))));
  return [
    ['0', 'zero'],
    ['-1', 'negative'],
    [`-${id}`, 'the item id negated'],
    [`+${id}`, 'the item id with a leading +'],
    [`%2B${id}`, 'the item id with an encoded leading +'],
    [`%20${id}`, 'the item id after an encoded space'],
    [`${id}.0`, 'the item id as a decimal fraction'],
    [`${id}e0`, 'the item id in exponent notation'],
    [arabic, 'the item id in Arabic-Indic digits'],
    ['abc', 'not a number'],
    [String(MAX_ID), '2^53 − 1, the largest id, of no item'],
    [String(MAX_ID + 1n), '2^53'],
    [String(MAX_ID + 1n + big), '2^53 + the item id'],
    [String((1n << 32n) + big), '2^32 + the item id (a 32-bit wrap-around)'],
    [String(1n << 64n), '2^64'],
    [String((1n << 64n) + big), '2^64 + the item id (a 64-bit wrap-around)'],
  ];
}

export const idChecks: Check[] = [
  {
    name: 'ids: a path id that is not a decimal integer in 1..2^53−1 of an item answers 404 to GET, PATCH and DELETE, never 500',
    async run(ctx) {
      await eachResource(ctx, async (resource, token, item) => {
        const body = requiredBody(resource);
        for (const [id, why] of foreignIds(item.id as number)) {
          const path = `${resource.collection}/${id}`;
          for (const res of [await ctx.http.get(path, { token }), await ctx.http.patch(path, { token, json: body }), await ctx.http.delete(path, { token })]) {
            if (res.status !== 404) fail(`id ${show(id, 60)} (${why}): ${res.method} ${path} → expected 404, got ${res.status}; body: ${show(res.text)}`);
            ctx.spec.expect(res, resource.item, 404);
          }
        }
        const still = await ctx.http.get(`${resource.collection}/${String(item.id)}`, { token });
        expectEqual(ctx.spec.expect<Json>(still, resource.item, 200), item, `${resource.collection}/${String(item.id)} after requests with other ids`);
      });
    },
  },
  {
    name: 'offsets: an offset above 2147483647 answers 422 (field offset); 2147483647 answers 200 with an empty page',
    async run(ctx) {
      await eachResource(ctx, async (resource, token) => {
        for (const offset of ['2147483648', '4294967296', '9223372036854775807', '99999999999999999999']) {
          const res = await ctx.http.get(`${resource.collection}?offset=${offset}`, { token });
          if (res.status !== 422) fail(`GET ${resource.collection}?offset=${offset}: expected 422, got ${res.status}; body: ${show(res.text)}`);
          ctx.spec.expect(res, resource.collection, 422);
          expectFieldError(res, 'offset');
        }
        const last = await ctx.http.get(`${resource.collection}?offset=2147483647&limit=100`, { token });
        const page = ctx.spec.expect<Json>(last, resource.collection, 200);
        expectEqual(page, { items: [], total: 1, limit: 100, offset: 2147483647 }, `GET ${resource.collection}?offset=2147483647&limit=100`);
      });
    },
  },
];
