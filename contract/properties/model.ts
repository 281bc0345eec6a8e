/**
 * A model-based run per resource: random sequences of create, read, update, list and delete
 * (and another user's attempts) against a fresh owner, each answer compared with a model of what
 * the owner's items must be. fast-check shrinks a failing sequence to a short one.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { fail, show } from '../lib/assert.js';
import { newAccount, type Account, type Check, type Context } from '../lib/context.js';
import type { DocumentedResource } from '../checks/resources.js';
import { valid, type Json } from './arbitraries.js';
import { requestSchema } from './auth.js';
import { propertyCheck } from './runner.js';
import { expectFields, fieldsOf } from './resources.js';

interface Model {
  /** The owner's items as last answered, by id. */
  live: Map<number, Json>;
  /** Every id created in this sequence, deleted ones included. */
  known: number[];
}

interface Real {
  ctx: Context;
  owner: Account;
  stranger: Account;
  resource: DocumentedResource;
}

type Command = fc.AsyncCommand<Model, Real>;

const pick = (model: Model, k: number): number => model.known[k % model.known.length]!;
const itemPath = (r: Real, id: number): string => `${r.resource.collection}/${id}`;

class Create implements Command {
  constructor(readonly body: Json) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const res = await r.ctx.http.post(r.resource.collection, { token: r.owner.token, json: this.body });
    const item = r.ctx.spec.expect<Json>(res, r.resource.collection, 201);
    expectFields(r.resource, item, this.body, `${this}`);
    const id = item.id as number;
    if (m.known.includes(id)) fail(`${this}: answered id ${id}, which this owner's sequence already had`);
    if (m.known.some((k) => k > id)) fail(`${this}: answered id ${id}, lower than an earlier item's ${Math.max(...m.known)}; ids must increase`);
    m.known.push(id);
    m.live.set(id, item);
  }
  toString = (): string => `POST create ${JSON.stringify(this.body)}`;
}

class Read implements Command {
  constructor(readonly k: number) {}
  check = (m: Readonly<Model>): boolean => m.known.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const id = pick(m, this.k);
    const res = await r.ctx.http.get(itemPath(r, id), { token: r.owner.token });
    const expected = m.live.get(id);
    if (!expected) {
      r.ctx.spec.expect(res, r.resource.item, 404);
      return;
    }
    const item = r.ctx.spec.expect<Json>(res, r.resource.item, 200);
    if (!isDeepStrictEqual(item, expected)) fail(`GET ${itemPath(r, id)}: got ${show(item, 300)}, the model has ${show(expected, 300)}`);
  }
  toString = (): string => `GET item #${this.k}`;
}

class Update implements Command {
  constructor(
    readonly k: number,
    readonly body: Json,
  ) {}
  check = (m: Readonly<Model>): boolean => m.known.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const id = pick(m, this.k);
    const res = await r.ctx.http.patch(itemPath(r, id), { token: r.owner.token, json: this.body });
    const before = m.live.get(id);
    if (!before) {
      r.ctx.spec.expect(res, r.resource.item, 404);
      return;
    }
    const item = r.ctx.spec.expect<Json>(res, r.resource.item, 200);
    expectFields(r.resource, item, { ...fieldsOf(r.resource, before), ...this.body }, `PATCH ${itemPath(r, id)} ${JSON.stringify(this.body)}`);
    if (item.created_at !== before.created_at) fail(`PATCH ${itemPath(r, id)}: created_at changed from ${String(before.created_at)} to ${String(item.created_at)}`);
    if (Date.parse(item.updated_at as string) < Date.parse(before.updated_at as string)) {
      fail(`PATCH ${itemPath(r, id)}: updated_at went back from ${String(before.updated_at)} to ${String(item.updated_at)}`);
    }
    m.live.set(id, item);
  }
  toString = (): string => `PATCH item #${this.k} ${JSON.stringify(this.body)}`;
}

class Delete implements Command {
  constructor(readonly k: number) {}
  check = (m: Readonly<Model>): boolean => m.known.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const id = pick(m, this.k);
    const res = await r.ctx.http.delete(itemPath(r, id), { token: r.owner.token });
    r.ctx.spec.expect(res, r.resource.item, m.live.has(id) ? 204 : 404);
    m.live.delete(id);
  }
  toString = (): string => `DELETE item #${this.k}`;
}

class List implements Command {
  constructor(
    readonly limit: number,
    readonly offset: number,
  ) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const url = `${r.resource.collection}?limit=${this.limit}&offset=${this.offset}`;
    const page = r.ctx.spec.expect<{ items: Json[]; total: number }>(await r.ctx.http.get(url, { token: r.owner.token }), r.resource.collection, 200);
    const expected = [...m.live.keys()].sort((a, b) => a - b).slice(this.offset, this.offset + this.limit).map((id) => m.live.get(id));
    if (page.total !== m.live.size || !isDeepStrictEqual(page.items, expected)) {
      fail(`GET ${url}: got total ${page.total} and items ${show(page.items.map((i) => i.id))}, the model has total ${m.live.size} and ${show(expected.map((i) => i!.id))} (items compared in full)`);
    }
  }
  toString = (): string => `GET list limit=${this.limit} offset=${this.offset}`;
}

/** Another user tries to read, change and delete one of the owner's items: 404 each time, nothing changes. */
class Stranger implements Command {
  constructor(
    readonly k: number,
    readonly body: Json,
  ) {}
  check = (m: Readonly<Model>): boolean => m.known.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const id = pick(m, this.k);
    const token = r.stranger.token;
    for (const res of [
      await r.ctx.http.get(itemPath(r, id), { token }),
      await r.ctx.http.patch(itemPath(r, id), { token, json: this.body }),
      await r.ctx.http.delete(itemPath(r, id), { token }),
    ]) {
      if (res.status !== 404) fail(`another user's ${res.method} ${itemPath(r, id)}: expected 404, got ${res.status}; body: ${show(res.text)}`);
      r.ctx.spec.expect(res, r.resource.item, 404);
    }
  }
  toString = (): string => `another user on item #${this.k}`;
}

/** The owner's items as the server lists them now, by id (the model a sequence starts from). */
async function itemsOf(ctx: Context, resource: DocumentedResource, owner: Account): Promise<Map<number, Json>> {
  const items = new Map<number, Json>();
  for (let offset = 0; ; offset += 100) {
    const url = `${resource.collection}?limit=100&offset=${offset}`;
    const page = ctx.spec.expect<{ items: Json[]; total: number }>(await ctx.http.get(url, { token: owner.token }), resource.collection, 200);
    for (const item of page.items) items.set(item.id as number, item);
    if (page.items.length < 100) return items;
  }
}

export function modelProperty(resource: DocumentedResource, label: string): Check {
  return propertyCheck({
    name: `properties: ${label} random create/read/update/list/delete sequences agree with a model`,
    runs: 25,
    // One owner for every sequence (registering is slow by design): each starts from the items the
    // earlier ones left, as the server lists them.
    setup: async (ctx) => ({ owner: await newAccount(ctx, label, ctx.client()), stranger: await newAccount(ctx, label, ctx.client()) }),
    arbitrary: (ctx) => {
      const create = valid(ctx.spec, requestSchema(ctx, resource.collection, 'post')) as fc.Arbitrary<Json>;
      const update = valid(ctx.spec, requestSchema(ctx, resource.item, 'patch')) as fc.Arbitrary<Json>;
      return fc.commands<Model, Real, false>(
        [
          create.map((body) => new Create(body)),
          fc.nat().map((k) => new Read(k)),
          fc.tuple(fc.nat(), update).map(([k, body]) => new Update(k, body)),
          fc.nat().map((k) => new Delete(k)),
          fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 30 })).map(([limit, offset]) => new List(limit, offset)),
          fc.tuple(fc.nat(), update).map(([k, body]) => new Stranger(k, body)),
        ],
        { maxCommands: 14 },
      );
    },
    async predicate(ctx, { owner, stranger }, commands) {
      await fc.asyncModelRun(async () => {
        const live = await itemsOf(ctx, resource, owner);
        return { model: { live, known: [...live.keys()] }, real: { ctx, owner, stranger, resource } };
      }, commands);
    },
  });
}
