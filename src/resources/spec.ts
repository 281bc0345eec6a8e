import { UsageError } from '../errors.js';
import { suggest } from '../suggest.js';
import { resourceNames } from './naming.js';
import { isReservedField, isReservedResource } from './reserved.js';

/** The field types of `--fields`. */
export const FIELD_TYPES = ['string', 'text', 'integer', 'number', 'boolean', 'date', 'datetime'] as const;
/** One field type. */
export type FieldType = (typeof FIELD_TYPES)[number];

/** Default and largest maximum length, in code points, of the two string types. */
export const STRING_LIMITS: Readonly<Record<'string' | 'text', { readonly default: number; readonly max: number }>> = {
  string: { default: 200, max: 2000 },
  text: { default: 10_000, max: 100_000 },
};

/** One field of a resource as the recipe records it. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Maximum length in code points (`string` and `text` only). */
  readonly max?: number;
  /** Optional fields are nullable, may be omitted, and default to null. */
  readonly optional: boolean;
}

/** A resource as the recipe records it: `Note title:string,body:text?`. */
export interface ResourceSpec {
  readonly name: string;
  readonly fields: readonly FieldSpec[];
}

/** The example resource every project starts with; the contract suite checks it. */
export const NOTE_RESOURCE: ResourceSpec = {
  name: 'Note',
  fields: [
    { name: 'title', type: 'string', max: 200, optional: false },
    { name: 'body', type: 'text', max: 10_000, optional: true },
  ],
};

const RESOURCE_NAME = /^[A-Z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$/;
const FIELD_NAME = /^[a-z][a-z0-9_]*$/;
const FIELD = /^([^:]*):([a-z]+)(?:\((\d+)\))?(\?)?$/;

const HINT = 'Write --fields "name:type[(N)][?],…", e.g. --fields "title:string(40),done:boolean,due:date?".';

/** Validates a resource name (PascalCase, not reserved). */
export function checkResourceName(name: string): void {
  if (!RESOURCE_NAME.test(name) || name.length > 40) {
    throw new UsageError(`"${name}" is not a valid resource name.`, 'Use a singular PascalCase name of at most 40 characters, e.g. Task or OrderItem.');
  }
  const names = resourceNames(name);
  const clash = [names.snake, names.snakePlural, names.camel, names.camelPlural].find(isReservedResource);
  if (clash) {
    throw new UsageError(`The resource name ${name} is reserved ("${clash}" is a keyword of Python, TypeScript or SQL, or a name the project already uses).`, 'Choose another name, e.g. Task instead of Order → OrderItem or PurchaseOrder.');
  }
}

function parseField(raw: string): FieldSpec {
  const text = raw.trim();
  const match = FIELD.exec(text);
  if (!match) throw new UsageError(`The field "${text}" is malformed.`, HINT);
  const [, name = '', type = '', size, optional] = match;
  if (!FIELD_NAME.test(name) || name.length > 63) {
    throw new UsageError(`"${name}" is not a valid field name.`, 'Field names are lower-case snake_case: a letter, then letters, digits or underscores.');
  }
  if (isReservedField(name)) {
    throw new UsageError(`The field name "${name}" is reserved (a keyword of Python, TypeScript or SQL, or a column every resource has).`, 'Choose another name, e.g. "label" for "class" or "position" for "order".');
  }
  if (!(FIELD_TYPES as readonly string[]).includes(type)) {
    const guess = suggest(type, FIELD_TYPES);
    throw new UsageError(`The field "${name}" has the unknown type "${type}".`, `${guess ? `Did you mean ${guess}? ` : ''}Types: ${FIELD_TYPES.join(', ')}.`);
  }
  const fieldType = type as FieldType;
  if (fieldType !== 'string' && fieldType !== 'text') {
    if (size !== undefined) throw new UsageError(`The field "${name}" is ${type}: only string and text take a length.`, HINT);
    return { name, type: fieldType, optional: optional === '?' };
  }
  const limits = STRING_LIMITS[fieldType];
  const max = size === undefined ? limits.default : Number(size);
  if (!Number.isSafeInteger(max) || max < 1 || max > limits.max) {
    throw new UsageError(`The length of "${name}" must be between 1 and ${limits.max}, got ${size}.`, HINT);
  }
  return { name, type: fieldType, max, optional: optional === '?' };
}

/** Parses `--fields` (`title:string(40),done:boolean,due:date?`); every problem is a usage error. */
export function parseFields(spec: string): FieldSpec[] {
  if (spec.trim() === '') throw new UsageError('The field list is empty.', HINT);
  const fields = spec.split(',').map(parseField);
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name)) throw new UsageError(`The field "${field.name}" is listed twice.`, HINT);
    seen.add(field.name);
  }
  return fields;
}

/** The canonical `--fields` text of a resource (what `generate resource` would be given). */
export function formatFields(fields: readonly FieldSpec[]): string {
  return fields.map((f) => `${f.name}:${f.type}${f.max !== undefined && f.max !== STRING_LIMITS[f.type as 'string'].default ? `(${f.max})` : ''}${f.optional ? '?' : ''}`).join(',');
}

/** Whether two resource specs describe the same resource. */
export function sameResource(a: ResourceSpec, b: ResourceSpec): boolean {
  return a.name === b.name && formatFields(a.fields) === formatFields(b.fields);
}
