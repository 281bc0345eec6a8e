import { fieldSpellings, resourceNames, type ResourceNames } from './naming.js';
import type { FieldSpec, FieldType, ResourceSpec } from './spec.js';

/**
 * One field as templates see it. Every key is always present (`max` is `null` where it does
 * not apply) because rendering is strict: a missing key is an error, not an empty string.
 */
export interface FieldContext {
  readonly name: string;
  readonly camel: string;
  readonly pascal: string;
  readonly type: FieldType;
  readonly max: number | null;
  readonly optional: boolean;
  readonly required: boolean;
  readonly isString: boolean;
  readonly isText: boolean;
  /** `string` or `text`. */
  readonly isStringLike: boolean;
  readonly isInteger: boolean;
  readonly isNumber: boolean;
  readonly isBoolean: boolean;
  readonly isDate: boolean;
  readonly isDatetime: boolean;
  readonly isFirst: boolean;
  readonly isLast: boolean;
}

/** One resource as templates see it (docs/templates.md). */
export interface ResourceContext extends ResourceNames {
  readonly fields: readonly FieldContext[];
  /** Position in the recipe, from 0 (`notes`). */
  readonly index: number;
  /** Migration sequence of the resource's table: `0002` for the first (users are `0001`). */
  readonly sequence: string;
  /** Sequence of the migration before this one (`0001` for the first resource). */
  readonly previousSequence: string;
  readonly isFirst: boolean;
  readonly isLast: boolean;
}

const sequence = (n: number): string => String(n).padStart(4, '0');

function fieldContext(field: FieldSpec, index: number, count: number): FieldContext {
  const t = field.type;
  return {
    name: field.name,
    ...fieldSpellings(field.name),
    type: t,
    max: field.max ?? null,
    optional: field.optional,
    required: !field.optional,
    isString: t === 'string',
    isText: t === 'text',
    isStringLike: t === 'string' || t === 'text',
    isInteger: t === 'integer',
    isNumber: t === 'number',
    isBoolean: t === 'boolean',
    isDate: t === 'date',
    isDatetime: t === 'datetime',
    isFirst: index === 0,
    isLast: index === count - 1,
  };
}

/** The template context of every resource of a recipe, in recipe order. */
export function resourceContexts(resources: readonly ResourceSpec[]): ResourceContext[] {
  return resources.map((resource, index) => ({
    ...resourceNames(resource.name),
    fields: resource.fields.map((f, i) => fieldContext(f, i, resource.fields.length)),
    index,
    sequence: sequence(index + 2),
    previousSequence: sequence(index + 1),
    isFirst: index === 0,
    isLast: index === resources.length - 1,
  }));
}

/** Replaces `[snakePlural]`-style segments of a resource layer's path with the resource's names. */
export function resourcePath(stored: string, resource: ResourceContext): string {
  return stored.replace(/\[([A-Za-z]+)\]/g, (whole, key: string) => {
    const value = (resource as unknown as Record<string, unknown>)[key];
    if (typeof value !== 'string') throw new Error(`unknown resource name "${key}" in path ${stored}`);
    return value;
  });
}
