import { resourceNames } from './naming.js';
import type { FieldSpec, ResourceSpec } from './spec.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * Integer fields accept the integers every JSON client represents exactly (±(2^53 − 1)); the
 * columns are 64-bit, so the database never narrows what the API accepted.
 */
export const INTEGER_LIMIT = Number.MAX_SAFE_INTEGER;

/** The deepest page a list serves: a bound that every database takes as an OFFSET. */
export const OFFSET_LIMIT = 2_147_483_647;

/** Strings may hold any code point but U+0000, which PostgreSQL cannot store. */
const NO_NUL = '^[^\\u0000]*$';

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string): JsonObject => ({ $ref: `#/components/responses/${name}` });
const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The JSON Schema of one field's value. */
export function fieldSchema(field: FieldSpec): JsonObject {
  const type = (t: string): Json => (field.optional ? [t, 'null'] : t);
  switch (field.type) {
    case 'string':
      return { type: type('string'), minLength: 1, maxLength: field.max ?? 200, pattern: NO_NUL };
    case 'text':
      return { type: type('string'), maxLength: field.max ?? 10_000, pattern: NO_NUL };
    case 'integer':
      return { type: type('integer'), format: 'int64', minimum: -INTEGER_LIMIT, maximum: INTEGER_LIMIT };
    case 'number':
      return { type: type('number'), format: 'double' };
    case 'boolean':
      return { type: type('boolean') };
    case 'date':
      return { type: type('string'), format: 'date', description: 'A calendar date, `YYYY-MM-DD`.' };
    case 'datetime':
      return { type: type('string'), format: 'date-time', description: 'RFC 3339 with a time-zone offset; answered in UTC.' };
  }
}

/** Component schemas and paths of one resource, in the order the document lists them. */
export function resourceOpenApi(spec: ResourceSpec): { tag: JsonObject; paths: JsonObject; schemas: JsonObject } {
  const n = resourceNames(spec.name);
  const fieldRef = (f: FieldSpec): string => `${n.name}${f.name.split('_').map(capitalise).join('')}`;
  const schemas: JsonObject = {};
  for (const field of spec.fields) schemas[fieldRef(field)] = fieldSchema(field);
  const properties = (describeOmitted: boolean): JsonObject =>
    Object.fromEntries(spec.fields.map((f) => [f.name, describeOmitted && f.optional ? { ...ref(fieldRef(f)), description: 'Omitted means `null`.' } : ref(fieldRef(f))]));
  const timestamp: JsonObject = { type: 'string', format: 'date-time', description: 'ISO 8601, UTC.' };
  schemas[`${n.name}Create`] = { type: 'object', additionalProperties: false, required: spec.fields.filter((f) => !f.optional).map((f) => f.name), properties: properties(true) };
  schemas[`${n.name}Update`] = { type: 'object', additionalProperties: false, description: 'Only the fields present are changed.', properties: properties(false) };
  schemas[n.name] = {
    type: 'object',
    additionalProperties: false,
    required: ['id', ...spec.fields.map((f) => f.name), 'created_at', 'updated_at'],
    properties: { id: { type: 'integer', minimum: 1, maximum: INTEGER_LIMIT }, ...properties(false), created_at: timestamp, updated_at: { ...timestamp } },
  };
  schemas[`${n.name}List`] = {
    type: 'object',
    additionalProperties: false,
    required: ['items', 'total', 'limit', 'offset'],
    properties: {
      items: { type: 'array', items: ref(n.name) },
      total: { type: 'integer', minimum: 0, description: `Number of the caller's ${n.labelPlural}.` },
      limit: { type: 'integer', minimum: 1, maximum: 100 },
      offset: { type: 'integer', minimum: 0, maximum: OFFSET_LIMIT },
    },
  };

  const tags = [n.kebabPlural];
  const body = (schema: string): JsonObject => ({ required: true, content: { 'application/json': { schema: ref(schema) } } });
  const json = (description: string, schema: string): JsonObject => ({ description, content: { 'application/json': { schema: ref(schema) } } });
  const a = /^[aeiou]/.test(n.label) ? 'an' : 'a';
  const paths: JsonObject = {
    [`/api/v1/${n.kebabPlural}`]: {
      get: {
        tags,
        operationId: `list${n.plural}`,
        summary: `List the caller's ${n.labelPlural}`,
        description: 'Items are ordered by `id`, ascending.',
        parameters: [
          { name: 'limit', in: 'query', required: false, description: 'Page size.', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
          { name: 'offset', in: 'query', required: false, description: 'Number of items to skip.', schema: { type: 'integer', minimum: 0, maximum: OFFSET_LIMIT, default: 0 } },
        ],
        responses: { '200': json(`One page of ${n.labelPlural}.`, `${n.name}List`), '401': response('Unauthorized'), '422': response('ValidationFailed'), '500': response('InternalError') },
      },
      post: {
        tags,
        operationId: `create${n.name}`,
        summary: `Create ${a} ${n.label}`,
        requestBody: body(`${n.name}Create`),
        responses: {
          '201': json(`The ${n.label} was created.`, n.name),
          '400': response('MalformedJson'),
          '401': response('Unauthorized'),
          '413': response('ContentTooLarge'),
          '415': response('UnsupportedMediaType'),
          '422': response('ValidationFailed'),
          '500': response('InternalError'),
        },
      },
    },
    [`/api/v1/${n.kebabPlural}/{id}`]: {
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          description: `The ${n.label} id. Any other value, or the id of another user's ${n.label}, answers 404.`,
          schema: { type: 'integer', minimum: 1, maximum: INTEGER_LIMIT },
        },
      ],
      get: {
        tags,
        operationId: `get${n.name}`,
        summary: `Read ${a} ${n.label}`,
        responses: { '200': json(`The ${n.label}.`, n.name), '401': response('Unauthorized'), '404': response('NotFound'), '500': response('InternalError') },
      },
      patch: {
        tags,
        operationId: `update${n.name}`,
        summary: `Change some fields of ${a} ${n.label}`,
        requestBody: body(`${n.name}Update`),
        responses: {
          '200': json(`The updated ${n.label}.`, n.name),
          '400': response('MalformedJson'),
          '401': response('Unauthorized'),
          '404': response('NotFound'),
          '413': response('ContentTooLarge'),
          '415': response('UnsupportedMediaType'),
          '422': response('ValidationFailed'),
          '500': response('InternalError'),
        },
      },
      delete: {
        tags,
        operationId: `delete${n.name}`,
        summary: `Delete ${a} ${n.label}`,
        responses: { '204': { description: `The ${n.label} was deleted.` }, '401': response('Unauthorized'), '404': response('NotFound'), '500': response('InternalError') },
      },
    },
  };
  return { tag: { name: n.kebabPlural, description: `${capitalise(n.labelPlural)} owned by the authenticated user.` }, paths, schemas };
}

/**
 * The project's OpenAPI document: titled with the project's name (the API is the user's, so it
 * makes no licence claim), with every resource added — its tag before `meta`, its paths at the
 * end, its schemas before the shared error schemas (`FieldError`).
 */
export function documentWithResources(documentText: string, resources: readonly ResourceSpec[], title?: string): string {
  const doc = JSON.parse(documentText) as JsonObject;
  if (title !== undefined) doc.info = { ...((doc.info as JsonObject | undefined) ?? {}), title };
  const parts = resources.map(resourceOpenApi);
  const tags = (doc.tags as JsonObject[] | undefined) ?? [];
  const metaAt = tags.findIndex((t) => t.name === 'meta');
  tags.splice(metaAt < 0 ? tags.length : metaAt, 0, ...parts.map((p) => p.tag));
  doc.tags = tags;
  doc.paths = Object.assign({}, doc.paths as JsonObject, ...parts.map((p) => p.paths)) as JsonObject;
  const components = ((doc.components as JsonObject | undefined) ?? {}) as JsonObject;
  doc.components = components;
  const existing = Object.entries((components.schemas as JsonObject | undefined) ?? {});
  const at = existing.findIndex(([name]) => name === 'FieldError');
  const added = parts.flatMap((p) => Object.entries(p.schemas));
  const split = at < 0 ? existing.length : at;
  components.schemas = Object.fromEntries([...existing.slice(0, split), ...added, ...existing.slice(split)]);
  return `${JSON.stringify(doc, null, 2)}\n`;
}
