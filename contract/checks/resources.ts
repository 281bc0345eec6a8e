/**
 * Checks for every generated resource, derived from the OpenAPI document alone: any resource
 * that `create-backend generate resource` adds is held to the same promises as notes — CRUD,
 * owner isolation, pagination, and the validation of each field's type.
 */
import { ensure, expectEqual, expectFieldError, fail, show } from '../lib/assert.js';
import { newAccount, type Account, type Check, type Context } from '../lib/context.js';
import type { Spec } from '../lib/openapi.js';

type Json = Record<string, unknown>;

/** One field of a resource as the document describes it. */
export interface Field {
  readonly name: string;
  readonly schema: Json;
  readonly required: boolean;
  readonly nullable: boolean;
  readonly kind: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';
}

/** A resource found in the document: `/api/v1/<segment>` with a `<Name>Create` body. */
export interface DocumentedResource {
  readonly collection: string;
  readonly item: string;
  readonly name: string;
  readonly fields: readonly Field[];
}

function resolve(spec: Spec, value: Json): Json {
  const ref = value.$ref;
  if (typeof ref !== 'string') return value;
  return ((spec.document.components as Json).schemas as Json)[ref.replace('#/components/schemas/', '')] as Json;
}

function kindOf(schema: Json): Field['kind'] {
  const types = ([] as unknown[]).concat(schema.type);
  if (types.includes('integer')) return 'integer';
  if (types.includes('number')) return 'number';
  if (types.includes('boolean')) return 'boolean';
  if (schema.format === 'date') return 'date';
  if (schema.format === 'date-time') return 'datetime';
  return 'string';
}

/** Every resource of the document except those listed (notes has checks of its own). */
export function documentedResources(spec: Spec, except: readonly string[] = ['/api/v1/notes']): DocumentedResource[] {
  const paths = (spec.document.paths ?? {}) as Record<string, Json>;
  return Object.keys(paths)
    .filter((path) => /^\/api\/v1\/[a-z0-9-]+$/.test(path) && !path.startsWith('/api/v1/auth') && !except.includes(path) && paths[`${path}/{id}`])
    .flatMap((collection): DocumentedResource[] => {
      const post = paths[collection]!.post as Json | undefined;
      const ref = (((post?.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
      if (!ref || typeof ref.$ref !== 'string') return [];
      const create = resolve(spec, ref);
      const required = (create.required as string[] | undefined) ?? [];
      const fields = Object.entries(create.properties as Record<string, Json>).map(([name, property]): Field => {
        const schema = resolve(spec, property);
        return { name, schema, required: required.includes(name), nullable: ([] as unknown[]).concat(schema.type).includes('null'), kind: kindOf(schema) };
      });
      return [{ collection, item: `${collection}/{id}`, name: (ref.$ref as string).split('/').pop()!.replace(/Create$/, ''), fields }];
    });
}

/** A valid value of a field; `variant` picks another one, for updates. */
export function validValue(field: Field, variant = 0): unknown {
  const { schema } = field;
  switch (field.kind) {
    case 'integer':
      return [42, -7, Number(schema.maximum ?? 1), Number(schema.minimum ?? -1)][variant % 4];
    case 'number':
      return [3.25, -0.5, 1e300][variant % 3];
    case 'boolean':
      return variant % 2 === 0;
    case 'date':
      return ['2024-02-29', '1999-12-31'][variant % 2];
    case 'datetime':
      return ['2026-01-02T03:04:05.123+02:00', '1999-12-31T23:59:59Z'][variant % 2];
    default: {
      const max = Number(schema.maxLength ?? 20);
      // The longest allowed value, counted in code points, on the second variant.
      return variant % 2 === 0 ? 'Été ✓'.slice(0, Math.min(5, max)) : '🙂'.repeat(max);
    }
  }
}

/** How the server answers a valid value: datetimes in UTC with milliseconds, everything else as sent. */
function echoed(field: Field, value: unknown): unknown {
  if (field.kind === 'datetime' && typeof value === 'string') return new Date(value).toISOString();
  return value;
}

/** Values of the wrong type or out of range for a field, each with why. */
function invalidValues(field: Field): [unknown, string][] {
  const { schema } = field;
  const common: [unknown, string][] = [[{}, 'an object'], [[1], 'an array']];
  switch (field.kind) {
    case 'integer':
      return [...common, ['5', 'a numeric string'], [1.5, 'a fraction'], [true, 'a boolean'], [Number(schema.maximum) + 2, 'above the maximum'], [-(Number(schema.maximum) + 2), 'below the minimum']];
    case 'number':
      return [...common, ['1.5', 'a numeric string'], [true, 'a boolean']];
    case 'boolean':
      return [...common, ['true', 'a string'], [1, 'a number'], [0, 'zero']];
    case 'date':
      return [...common, ['2023-02-29', 'not a calendar date'], ['2024-13-01', 'month 13'], ['20240101', 'no dashes'], [20240101, 'a number'], ['2024-01-01T00:00:00Z', 'a datetime']];
    case 'datetime':
      return [...common, ['2026-01-02T03:04:05', 'no offset'], ['yesterday', 'not a datetime'], ['2026-02-30T00:00:00Z', 'not a calendar date'], [1767322800, 'a number']];
    default: {
      const max = Number(schema.maxLength);
      const out: [unknown, string][] = [...common, [5, 'a number'], [true, 'a boolean'], ['x'.repeat(max + 1), `longer than ${max}`], ['nul \u0000 byte', 'a NUL character']];
      if (Number(schema.minLength ?? 0) > 0) out.push(['', 'empty']);
      return out;
    }
  }
}

/** A body with every field, valid. */
export const validBody = (resource: DocumentedResource, variant = 0): Json => Object.fromEntries(resource.fields.map((f) => [f.name, validValue(f, variant)]));
/** A body with the required fields only, valid. */
export const requiredBody = (resource: DocumentedResource): Json => Object.fromEntries(resource.fields.filter((f) => f.required).map((f) => [f.name, validValue(f)]));

async function create(ctx: Context, resource: DocumentedResource, owner: Account, body: Json): Promise<Json> {
  return ctx.spec.expect<Json>(await ctx.http.post(resource.collection, { token: owner.token, json: body }), resource.collection, 201);
}

function expectFields(resource: DocumentedResource, actual: Json, sent: Json, what: string): void {
  for (const field of resource.fields) {
    const expected = field.name in sent ? echoed(field, sent[field.name]) : null;
    expectEqual(actual[field.name], expected, `${what}: ${field.name}`);
  }
}

/** The checks of one resource. */
function checksOf(resource: DocumentedResource): Check[] {
  const label = resource.collection.replace('/api/v1/', '');
  const itemPath = (id: unknown): string => `${resource.collection}/${String(id)}`;
  return [
    {
      name: `${label}: create (201), read, update each field (200) and delete (204)`,
      async run(ctx) {
        const owner = await newAccount(ctx, label);
        const body = validBody(resource);
        const created = await create(ctx, resource, owner, body);
        expectFields(resource, created, body, 'created');
        const read = ctx.spec.expect<Json>(await ctx.http.get(itemPath(created.id), { token: owner.token }), resource.item, 200);
        expectEqual(read, created, 'GET after POST');
        let current = read;
        for (const field of resource.fields) {
          const value = validValue(field, 1);
          const patched = ctx.spec.expect<Json>(await ctx.http.patch(itemPath(created.id), { token: owner.token, json: { [field.name]: value } }), resource.item, 200);
          expectEqual(patched[field.name], echoed(field, value), `PATCH {${field.name}}`);
          for (const other of resource.fields.filter((f) => f.name !== field.name)) expectEqual(patched[other.name], current[other.name], `${other.name} after PATCH {${field.name}}`);
          current = patched;
        }
        ctx.spec.expect(await ctx.http.delete(itemPath(created.id), { token: owner.token }), resource.item, 204);
        ctx.spec.expect(await ctx.http.get(itemPath(created.id), { token: owner.token }), resource.item, 404);
      },
    },
    {
      name: `${label}: optional fields default to null and accept null; required ones refuse null`,
      async run(ctx) {
        const owner = await newAccount(ctx, label);
        const minimal = await create(ctx, resource, owner, requiredBody(resource));
        for (const field of resource.fields.filter((f) => !f.required)) expectEqual(minimal[field.name], null, `omitted ${field.name}`);
        for (const field of resource.fields) {
          const res = await ctx.http.post(resource.collection, { token: owner.token, json: { ...requiredBody(resource), [field.name]: null } });
          if (field.nullable) ctx.spec.expect(res, resource.collection, 201);
          else {
            ctx.spec.expect(res, resource.collection, 422);
            expectFieldError(res, field.name);
            const patch = await ctx.http.patch(itemPath(minimal.id), { token: owner.token, json: { [field.name]: null } });
            ctx.spec.expect(patch, resource.item, 422);
            expectFieldError(patch, field.name);
          }
        }
        for (const field of resource.fields.filter((f) => f.required)) {
          const body = requiredBody(resource);
          delete body[field.name];
          const res = await ctx.http.post(resource.collection, { token: owner.token, json: body });
          ctx.spec.expect(res, resource.collection, 422);
          expectFieldError(res, field.name);
        }
      },
    },
    {
      name: `${label}: every field refuses the wrong type and out-of-range values, naming the field (422)`,
      async run(ctx) {
        const owner = await newAccount(ctx, label);
        const existing = await create(ctx, resource, owner, validBody(resource));
        for (const field of resource.fields) {
          for (const [value, why] of invalidValues(field)) {
            const body = { ...validBody(resource), [field.name]: value };
            const res = await ctx.http.post(resource.collection, { token: owner.token, json: body });
            if (res.status !== 422) fail(`POST ${resource.collection} with ${field.name} = ${show(value)} (${why}) answered ${res.status}, expected 422: ${show(res.text)}`);
            ctx.spec.expect(res, resource.collection, 422);
            expectFieldError(res, field.name);
            const patch = await ctx.http.patch(itemPath(existing.id), { token: owner.token, json: { [field.name]: value } });
            if (patch.status !== 422) fail(`PATCH ${resource.item} with ${field.name} = ${show(value)} (${why}) answered ${patch.status}, expected 422`);
            expectFieldError(patch, field.name);
          }
        }
        // A number too large for a double parses as infinity, which is not a number JSON can carry back.
        for (const field of resource.fields.filter((f) => f.kind === 'number')) {
          const raw = JSON.stringify(validBody(resource)).replace(/}$/, `,"${field.name}":1e999}`).replace(new RegExp(`"${field.name}":[^,}]+,`), '');
          const res = await ctx.http.post(resource.collection, { token: owner.token, headers: { 'content-type': 'application/json' }, body: raw });
          if (res.status !== 422) fail(`POST ${resource.collection} with ${field.name} = 1e999 answered ${res.status}, expected 422`);
          expectFieldError(res, field.name);
        }
        for (const extra of ['unknown_field', 'id', 'owner_id', 'created_at', 'updated_at']) {
          const res = await ctx.http.post(resource.collection, { token: owner.token, json: { ...validBody(resource), [extra]: extra === 'unknown_field' ? 'x' : 1 } });
          ctx.spec.expect(res, resource.collection, 422);
          expectFieldError(res, extra);
        }
        const after = ctx.spec.expect<Json>(await ctx.http.get(itemPath(existing.id), { token: owner.token }), resource.item, 200);
        expectEqual(after, existing, 'the item after refused PATCHes');
      },
    },
    {
      name: `${label}: another user's items answer 404 and are never listed; no token answers 401`,
      async run(ctx) {
        const owner = await newAccount(ctx, label);
        const other = await newAccount(ctx, label);
        const item = await create(ctx, resource, owner, validBody(resource));
        ctx.spec.expect(await ctx.http.get(itemPath(item.id), { token: other.token }), resource.item, 404);
        ctx.spec.expect(await ctx.http.patch(itemPath(item.id), { token: other.token, json: requiredBody(resource) }), resource.item, 404);
        ctx.spec.expect(await ctx.http.delete(itemPath(item.id), { token: other.token }), resource.item, 404);
        const list = ctx.spec.expect<{ items: Json[]; total: number }>(await ctx.http.get(resource.collection, { token: other.token }), resource.collection, 200);
        expectEqual(list.total, 0, `total of another user's ${label}`);
        ctx.spec.expect(await ctx.http.get(itemPath(item.id), { token: owner.token }), resource.item, 200);
        ctx.spec.expect(await ctx.http.get(itemPath('abc'), { token: owner.token }), resource.item, 404);
        ctx.spec.expect(await ctx.http.get(resource.collection), resource.collection, 401);
        ctx.spec.expect(await ctx.http.post(resource.collection, { json: validBody(resource) }), resource.collection, 401);
        ctx.spec.expect(await ctx.http.get(itemPath(item.id)), resource.item, 401);
      },
    },
    {
      name: `${label}: pagination by limit and offset, ordered by id`,
      async run(ctx) {
        const owner = await newAccount(ctx, label);
        const ids: unknown[] = [];
        for (let i = 0; i < 3; i++) ids.push((await create(ctx, resource, owner, validBody(resource, i))).id);
        const first = ctx.spec.expect<{ items: Json[]; total: number; limit: number; offset: number }>(await ctx.http.get(`${resource.collection}?limit=2`, { token: owner.token }), resource.collection, 200);
        expectEqual([first.total, first.limit, first.offset, first.items.map((i) => i.id)], [3, 2, 0, ids.slice(0, 2)], 'first page');
        const second = ctx.spec.expect<{ items: Json[] }>(await ctx.http.get(`${resource.collection}?limit=2&offset=2`, { token: owner.token }), resource.collection, 200);
        expectEqual(second.items.map((i) => i.id), ids.slice(2), 'second page');
        for (const query of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc']) {
          const res = await ctx.http.get(`${resource.collection}?${query}`, { token: owner.token });
          ctx.spec.expect(res, resource.collection, 422);
        }
        ensure(ids.every((id) => typeof id === 'number'), `ids are integers: ${show(ids)}`);
      },
    },
  ];
}

/** The checks of every generated resource the document describes. */
export function resourceChecks(spec: Spec): Check[] {
  return documentedResources(spec).flatMap(checksOf);
}
