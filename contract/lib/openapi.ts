import fs from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expectNoInternals, expectStatus, fail, mediaType, show } from './assert.js';
import type { HttpResponse } from './http.js';

import { documentWithResources } from '../../src/resources/openapi.js';
import { NOTE_RESOURCE } from '../../src/resources/spec.js';

/** The shared part of the document every generated project ships; resources are added to it. */
export const SPEC_URL = new URL('../../templates/shared/base/openapi.json', import.meta.url);

type Json = Record<string, unknown>;

interface HeaderObject {
  required?: boolean;
  schema: Json;
}

interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject | { $ref: string }>;
  content?: Record<string, { schema: Json }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const SCHEMA_ID = 'urn:create-backend:openapi';

/**
 * The shipped OpenAPI document, with an Ajv (JSON Schema 2020-12) validator for its component
 * schemas. Checks use `expect` to hold a response to the operation it answers: the status must
 * be documented for that operation, and the content type, body and required headers must match.
 */
export class Spec {
  readonly document: Json;
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly inline = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    this.document = document;
    this.ajv.addKeyword({ keyword: 'example' }).addKeyword({ keyword: 'discriminator' });
    this.ajv.addFormat('email', /^[^@\s]+@[^@\s]+\.[^@\s]+$/);
    this.ajv.addFormat('date-time', {
      type: 'string',
      validate: (value: string) =>
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value)),
    });
    this.ajv.addFormat('date', {
      type: 'string',
      // A real calendar date: Date would roll 2023-02-29 over to March.
      validate: (value: string) => {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
        const time = new Date(`${value}T00:00:00Z`);
        return !Number.isNaN(time.getTime()) && time.toISOString().startsWith(value);
      },
    });
    this.ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
    this.ajv.addFormat('double', { type: 'number', validate: (value: number) => Number.isFinite(value) });
    // Component schemas become $defs of one schema resource, so their $refs resolve unchanged in meaning.
    const components = (document.components ?? {}) as Json;
    const defs = JSON.parse(JSON.stringify(components.schemas ?? {}).replaceAll('"#/components/schemas/', '"#/$defs/')) as Json;
    this.ajv.addSchema({ $id: SCHEMA_ID, $defs: defs });
  }

  /**
   * A project's own `openapi.json` (with the resources it generated), or by default the document
   * of a new project: the shared part plus notes.
   */
  static load(file?: string | URL): Spec {
    if (file !== undefined) return new Spec(JSON.parse(fs.readFileSync(file, 'utf8')) as Json);
    return new Spec(JSON.parse(documentWithResources(fs.readFileSync(SPEC_URL, 'utf8'), [NOTE_RESOURCE])) as Json);
  }

  /** Paths and their methods, e.g. `{"/health": ["get"]}`. */
  operations(document: Json = this.document): Record<string, string[]> {
    const paths = (document.paths ?? {}) as Record<string, Json>;
    return Object.fromEntries(Object.entries(paths).map(([path, item]) => [path, METHODS.filter((method) => method in item)]));
  }

  /** Validates a value against `components.schemas.<name>`; returns the error text, or null. */
  validate(name: string, value: unknown): string | null {
    let validator = this.validators.get(name);
    if (!validator) {
      validator = this.ajv.getSchema(`${SCHEMA_ID}#/$defs/${name}`);
      if (!validator) throw new Error(`openapi.json has no schema ${name}`);
      this.validators.set(name, validator);
    }
    if (validator(value)) return null;
    return this.ajv.errorsText(validator.errors, { dataVar: 'body' });
  }

  /**
   * Validates a value against a schema as the document writes it (inline, e.g. a parameter's,
   * or a `$ref` to a component); returns the error text, or null.
   */
  validateSchema(schema: Json, value: unknown): string | null {
    const text = JSON.stringify(schema);
    let validator = this.inline.get(text);
    if (!validator) {
      validator = this.ajv.compile(JSON.parse(text.replaceAll('"#/components/schemas/', `"${SCHEMA_ID}#/$defs/`)) as Json);
      this.inline.set(text, validator);
    }
    if (validator(value)) return null;
    return this.ajv.errorsText(validator.errors, { dataVar: 'value' });
  }

  /** A component schema, or the schema a `$ref` points to (followed until it is not a `$ref`). */
  schema(value: Json | string): Json {
    const start = typeof value === 'string' ? { $ref: `#/components/schemas/${value}` } : value;
    return this.resolve<Json>(start);
  }

  /**
   * Asserts that `res` has one of the `statuses` and conforms to what the document says about that
   * status for `res.method` on `pathTemplate`; returns the parsed body.
   */
  expect<T = unknown>(res: HttpResponse, pathTemplate: string, ...statuses: number[]): T {
    expectStatus(res, ...statuses);
    const item = (this.document.paths as Record<string, Json> | undefined)?.[pathTemplate];
    const operation = item?.[res.method.toLowerCase()] as Json | undefined;
    if (!operation) throw new Error(`openapi.json documents no ${res.method} ${pathTemplate}`);
    const responses = operation.responses as Record<string, ResponseObject | { $ref: string }>;
    const response = responses[String(res.status)];
    if (!response) fail(`${describe(res)}: status ${res.status} is not documented for ${res.method} ${pathTemplate}`);
    return this.conform<T>(res, this.resolve<ResponseObject>(response));
  }

  /** Like `expect`, for a response described in `components.responses` (e.g. MethodNotAllowed). */
  expectComponent<T = unknown>(res: HttpResponse, component: string, status: number): T {
    expectStatus(res, status);
    const response = ((this.document.components as Json).responses as Record<string, ResponseObject>)[component];
    if (!response) throw new Error(`openapi.json has no response ${component}`);
    return this.conform<T>(res, response);
  }

  private conform<T>(res: HttpResponse, response: ResponseObject): T {
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      this.checkHeader(res, name, this.resolve<HeaderObject>(header));
    }
    const content = response.content;
    if (!content) {
      if (res.text !== '') fail(`${describe(res)}: expected an empty body, got ${show(res.text)}`);
      return undefined as T;
    }
    const [type, media] = Object.entries(content)[0]!;
    if (mediaType(res) !== type) {
      fail(`${describe(res)}: expected Content-Type ${type}, got ${res.headers['content-type'] ?? '(absent)'}; body: ${show(res.text)}`);
    }
    if (res.json === undefined) fail(`${describe(res)}: the body is not JSON: ${show(res.text || '(empty)')}`);
    const ref = media.schema.$ref;
    if (typeof ref === 'string') {
      const errors = this.validate(ref.replace('#/components/schemas/', ''), res.json);
      if (errors) fail(`${describe(res)}: the body does not match ${ref}: ${errors}; body: ${show(res.text)}`);
    } else {
      const validator = this.ajv.compile(media.schema);
      if (!validator(res.json)) fail(`${describe(res)}: the body does not match its schema: ${this.ajv.errorsText(validator.errors)}`);
    }
    if (type === 'application/problem+json') {
      const status = (res.json as { status?: unknown }).status;
      if (status !== res.status) fail(`${describe(res)}: problem "status" is ${show(status)}, the response status is ${res.status}`);
      expectNoInternals(res);
    }
    return res.json as T;
  }

  private checkHeader(res: HttpResponse, name: string, header: HeaderObject): void {
    const value = res.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) fail(`${describe(res)}: expected header ${name}, got none`);
      return;
    }
    const schema = header.schema;
    let parsed: unknown = value;
    if (schema.type === 'integer') {
      if (!/^\d+$/.test(value)) fail(`${describe(res)}: header ${name}: ${value} is not an integer`);
      parsed = Number(value);
    }
    const validator = this.ajv.compile(schema);
    if (!validator(parsed)) fail(`${describe(res)}: header ${name}: ${value} ${this.ajv.errorsText(validator.errors, { dataVar: '' })}`);
  }

  private resolve<T>(value: T | { $ref: string }): T {
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref !== 'string') return value as T;
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], this.document);
    if (target === undefined) throw new Error(`openapi.json: unresolved $ref ${ref}`);
    return this.resolve(target as T | { $ref: string });
  }
}
