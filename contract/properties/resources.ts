/**
 * Properties of every resource the document describes (notes and each generated one), from its
 * schemas alone: valid create and update bodies are stored and answered as sent, bodies that
 * break one rule are refused without changing anything, list parameters and path ids answer as
 * documented, and random sequences of operations agree with a model (model.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { fail, show } from '../lib/assert.js';
import { newAccount, type Account, type Check, type Context } from '../lib/context.js';
import { documentedResources, type DocumentedResource, type Field } from '../checks/resources.js';
import { codePoint, integer, notDecimal, valid, violations, type Json, type Violation } from './arbitraries.js';
import { expectRefused, requestSchema, send } from './auth.js';
import { modelProperty } from './model.js';
import { propertyCheck } from './runner.js';

/** Whether the server's `actual` is the value `sent` for `field` (a date-time as the same instant). */
export function sameValue(field: Field, actual: unknown, sent: unknown): boolean {
  if (sent === null || actual === null) return actual === sent;
  if (field.kind === 'datetime') return typeof actual === 'string' && Date.parse(actual) === Date.parse(sent as string);
  if (typeof sent === 'number') return actual === sent;
  return isDeepStrictEqual(actual, sent);
}

/** `actual` holds every field as `expected` says (a field `expected` lacks must be null). */
export function expectFields(resource: DocumentedResource, actual: Json, expected: Json, what: string): void {
  for (const field of resource.fields) {
    const sent = field.name in expected ? expected[field.name] : null;
    if (!sameValue(field, actual[field.name], sent)) fail(`${what}: ${field.name} is ${show(actual[field.name], 120)}, expected ${show(sent, 120)}`);
  }
}

/** The fields of an item, without id and timestamps. */
export const fieldsOf = (resource: DocumentedResource, item: Json): Json => Object.fromEntries(resource.fields.map((f) => [f.name, item[f.name]]));

interface Schemas {
  create: Json;
  update: Json;
  /** The list operation's query parameters and their schemas. */
  query: Record<string, Json>;
}

function schemasOf(ctx: Context, resource: DocumentedResource): Schemas {
  const list = ((ctx.spec.document.paths as Record<string, Json>)[resource.collection]!.get ?? {}) as Json;
  const parameters = ((list.parameters as Json[] | undefined) ?? []).filter((p) => p.in === 'query');
  return {
    create: requestSchema(ctx, resource.collection, 'post'),
    update: requestSchema(ctx, resource.item, 'patch'),
    query: Object.fromEntries(parameters.map((p) => [p.name as string, p.schema as Json])),
  };
}

interface Owned {
  owner: Account;
  schemas: Schemas;
  item: Json;
}

async function ownedItem(ctx: Context, resource: DocumentedResource, label: string): Promise<Owned> {
  const schemas = schemasOf(ctx, resource);
  const owner = await newAccount(ctx, label, ctx.client());
  const body = fc.sample(valid(ctx.spec, schemas.create), { numRuns: 1, seed: ctx.seed })[0];
  const item = ctx.spec.expect<Json>(await ctx.http.post(resource.collection, { token: owner.token, json: body }), resource.collection, 201);
  return { owner, schemas, item };
}

type Probe =
  | { kind: 'page'; limit?: number; offset?: number }
  | { kind: 'bad query'; parameter: string; value: string; why: string }
  | { kind: 'bad id'; method: 'GET' | 'PATCH' | 'DELETE'; id: string; why: string };

function probes(schemas: Schemas): fc.Arbitrary<Probe> {
  const parameters = Object.entries(schemas.query);
  const page = fc.record(
    Object.fromEntries(
      parameters.map(([name, schema]) => {
        const low = Number(schema.minimum ?? 0);
        const high = Number(schema.maximum ?? Number.MAX_SAFE_INTEGER);
        // Small values exercise the items of the page; large ones its bounds.
        return [name, fc.oneof(integer(low, Math.min(high, low + 5)), integer(low, high))];
      }),
    ) as Record<string, fc.Arbitrary<number>>,
    { requiredKeys: [] },
  ).map((query): Probe => ({ kind: 'page', ...query }));
  const outOfRange = (schema: Json): fc.Arbitrary<[string, string]> => {
    const options: fc.Arbitrary<[string, string]>[] = [notDecimal.map((v): [string, string] => [v, 'not a decimal integer'])];
    if (schema.minimum !== undefined) {
      const min = BigInt(Number(schema.minimum));
      options.push(fc.bigInt({ min: min - 2n ** 64n, max: min - 1n }).map((v): [string, string] => [String(v), `below the minimum ${min}`]));
    }
    if (schema.maximum !== undefined) {
      const max = BigInt(Number(schema.maximum));
      options.push(fc.oneof(fc.constant(max + 1n), fc.bigInt({ min: max + 1n, max: max + 2n ** 70n })).map((v): [string, string] => [String(v), `above the maximum ${max}`]));
    }
    return fc.oneof(...options);
  };
  const badQuery = fc.constantFrom(...parameters).chain(([name, schema]) =>
    outOfRange(schema).map(([value, why]): Probe => ({ kind: 'bad query', parameter: name, value, why })),
  );
  const method = fc.constantFrom<'GET' | 'PATCH' | 'DELETE'>('GET', 'PATCH', 'DELETE');
  const badId = fc.tuple(
    method,
    fc.oneof(
      fc.integer({ min: -1000, max: 0 }).map((n): [string, string] => [String(n), 'not positive']),
      fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).map((n): [string, string] => [String(n), 'above 2^53 − 1']),
      fc.integer({ min: 10 ** 12, max: Number.MAX_SAFE_INTEGER }).map((n): [string, string] => [String(n), 'no such item']),
      notDecimal.filter((v) => v !== '').map((v): [string, string] => [v, 'not a decimal integer']),
      fc
        .string({ unit: codePoint((c) => '/\\.%?#'.includes(c)), minLength: 1, maxLength: 8 })
        .filter((s) => !/^\d+$/.test(s))
        .map((s): [string, string] => [encodeURIComponent(s), 'not a number']),
    ),
  ).map(([m, [id, why]]): Probe => ({ kind: 'bad id', method: m, id, why }));
  return fc.oneof({ weight: 3, arbitrary: page }, { weight: 3, arbitrary: badQuery }, { weight: 4, arbitrary: badId });
}

function checksOf(resource: DocumentedResource): Check[] {
  const label = resource.collection.replace('/api/v1/', '');
  const path = (id: unknown): string => `${resource.collection}/${String(id)}`;
  return [
    propertyCheck({
      name: `properties: ${label} with generated valid create and update bodies answer 201 and 200, storing every field as sent`,
      runs: 80,
      setup: (ctx) => ownedItem(ctx, resource, label),
      arbitrary: (ctx, { schemas }) => fc.tuple(valid(ctx.spec, schemas.create) as fc.Arbitrary<Json>, valid(ctx.spec, schemas.update) as fc.Arbitrary<Json>),
      async predicate(ctx, { owner }, [create, update]) {
        const token = owner.token;
        const res = await ctx.http.post(resource.collection, { token, json: create });
        if (res.status !== 201) fail(`POST ${resource.collection} with ${show(create, 300)}: expected 201, got ${res.status}; body: ${show(res.text)}`);
        const created = ctx.spec.expect<Json>(res, resource.collection, 201);
        expectFields(resource, created, create, `POST ${resource.collection} with ${show(create, 300)}`);
        const patch = await ctx.http.patch(path(created.id), { token, json: update });
        if (patch.status !== 200) fail(`PATCH ${path(created.id)} with ${show(update, 300)}: expected 200, got ${patch.status}; body: ${show(patch.text)}`);
        const patched = ctx.spec.expect<Json>(patch, resource.item, 200);
        expectFields(resource, patched, { ...fieldsOf(resource, created), ...update }, `PATCH ${path(created.id)} with ${show(update, 300)}`);
        if (patched.id !== created.id || patched.created_at !== created.created_at) {
          fail(`PATCH ${path(created.id)}: id or created_at changed: ${show({ id: patched.id, created_at: patched.created_at })}, was ${show({ id: created.id, created_at: created.created_at })}`);
        }
        const read = ctx.spec.expect<Json>(await ctx.http.get(path(created.id), { token }), resource.item, 200);
        if (!isDeepStrictEqual(read, patched)) fail(`GET ${path(created.id)} after PATCH: got ${show(read, 300)}, the PATCH answered ${show(patched, 300)}`);
      },
    }),
    propertyCheck({
      name: `properties: ${label} create and update bodies breaking one rule answer 422 naming the field (400 for broken JSON) and change nothing`,
      runs: 100,
      setup: (ctx) => ownedItem(ctx, resource, label),
      arbitrary: (ctx, { schemas }) =>
        fc.oneof(
          violations(ctx.spec, schemas.create, valid(ctx.spec, schemas.create) as fc.Arbitrary<Json>).map((v) => ({ op: 'create' as const, v })),
          violations(ctx.spec, schemas.update, valid(ctx.spec, schemas.update) as fc.Arbitrary<Json>).map((v) => ({ op: 'update' as const, v })),
        ),
      async predicate(ctx, { owner, item }, { op, v }: { op: 'create' | 'update'; v: Violation }) {
        const token = owner.token;
        if (op === 'create') {
          expectRefused(ctx, await send(ctx.http, 'POST', resource.collection, v, token), resource.collection, v);
          return;
        }
        expectRefused(ctx, await send(ctx.http, 'PATCH', path(item.id), v, token), resource.item, v);
        const after = ctx.spec.expect<Json>(await ctx.http.get(path(item.id), { token }), resource.item, 200);
        if (!isDeepStrictEqual(after, item)) fail(`GET ${path(item.id)} after a refused PATCH (${v.why}): got ${show(after, 300)}, was ${show(item, 300)}`);
      },
    }),
    propertyCheck({
      name: `properties: ${label} list parameters and path ids: valid pages answer 200 as documented, bad parameters 422, bad or unknown ids 404`,
      runs: 100,
      setup: async (ctx) => {
        const owned = await ownedItem(ctx, resource, label);
        const more: Json[] = [owned.item];
        for (let i = 0; i < 2; i++) {
          const res = await ctx.http.post(resource.collection, { token: owned.owner.token, json: fieldsOf(resource, owned.item) });
          more.push(ctx.spec.expect<Json>(res, resource.collection, 201));
        }
        return { ...owned, items: more };
      },
      arbitrary: (_ctx, { schemas }) => probes(schemas),
      async predicate(ctx, { owner, items, schemas }, probe) {
        const token = owner.token;
        if (probe.kind === 'page') {
          const query = Object.entries(probe).filter(([key]) => key !== 'kind');
          const url = `${resource.collection}${query.length ? `?${query.map(([k, v]) => `${k}=${String(v)}`).join('&')}` : ''}`;
          const res = await ctx.http.get(url, { token });
          if (res.status !== 200) fail(`GET ${url}: expected 200, got ${res.status}; body: ${show(res.text)}`);
          const page = ctx.spec.expect<{ items: Json[]; total: number; limit: number; offset: number }>(res, resource.collection, 200);
          const limit = probe.limit ?? Number(schemas.query.limit?.default ?? 20);
          const offset = probe.offset ?? Number(schemas.query.offset?.default ?? 0);
          const ids = items.map((i) => i.id);
          const expected = { ids: ids.slice(offset, offset + limit), total: ids.length, limit, offset };
          const actual = { ids: page.items.map((i) => i.id), total: page.total, limit: page.limit, offset: page.offset };
          if (!isDeepStrictEqual(actual, expected)) fail(`GET ${url}: expected ${show(expected)}, got ${show(actual)}`);
          return;
        }
        if (probe.kind === 'bad query') {
          const url = `${resource.collection}?${probe.parameter}=${probe.value}`;
          const res = await ctx.http.get(url, { token });
          expectRefused(ctx, res, resource.collection, { status: 422, field: probe.parameter, why: `${probe.parameter} ${probe.why}` });
          return;
        }
        const res = await ctx.http.request(probe.method, path(probe.id), { token, ...(probe.method === 'PATCH' ? { json: {} } : {}) });
        if (res.status !== 404) fail(`id ${probe.id} (${probe.why}): ${probe.method} ${path(probe.id)} → expected 404, got ${res.status}; body: ${show(res.text)}`);
        ctx.spec.expect(res, resource.item, 404);
      },
    }),
    modelProperty(resource, label),
  ];
}

/** The properties of every resource the document describes, notes included. */
export function resourceProperties(ctx: { spec: Context['spec'] }): Check[] {
  return documentedResources(ctx.spec, []).flatMap(checksOf);
}
