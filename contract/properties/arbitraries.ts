/**
 * Generators driven by the OpenAPI document: valid values of a schema (every keyword respected,
 * lengths counted in code points), and values that violate exactly one keyword of it. Whatever
 * they produce is filtered through the document's own validator, so a generator can never
 * disagree with the document about what is valid.
 */
import fc from 'fast-check';
import type { Spec } from '../lib/openapi.js';

export type Json = Record<string, unknown>;

/** The JSON types a schema allows (`type` may be a list, e.g. `["string", "null"]`). */
export const typesOf = (schema: Json): string[] => ([] as unknown[]).concat(schema.type ?? []).map(String);

const JSON_MAX = Number.MAX_SAFE_INTEGER;

/** Code points that tend to break things: controls, whitespace, case folding, normalisation, astral, bidi. */
const ODD = [
  '\t', '\n', '\r', '\u0001', '\u001f', '\u007f', '\u0085', '\u00a0', 'é', 'İ', 'ı', 'ß', '\u0301', 'Ω', '\u212a', 'ﬁ',
  '\u2028', '\u2029', '\u200b', '\u200d', '\u202e', '\ufeff', '\ufffd', '\uffff', '😀', '\u{10ffff}', '"', '\\', '/', '<', '&', "'", '%', '{',
];

/** One code point (never a lone surrogate), mostly printable ASCII, that `excluded` does not refuse. */
export function codePoint(excluded: (c: string) => boolean = () => false): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCodePoint(c)) },
      { weight: 2, arbitrary: fc.constantFrom(...ODD) },
      { weight: 2, arbitrary: fc.integer({ min: 1, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c)) },
    )
    .filter((c) => !excluded(c));
}

/** A string of `min`..`max` code points; both bounds are drawn often. */
export function text(unit: fc.Arbitrary<string>, min: number, max: number): fc.Arbitrary<string> {
  const near = Math.min(max, min + 48);
  const length = fc.oneof(
    { weight: 1, arbitrary: fc.constant(min) },
    { weight: 1, arbitrary: fc.constant(max) },
    { weight: 6, arbitrary: fc.integer({ min, max: near }) },
  );
  return length.chain((n) => fc.array(unit, { minLength: n, maxLength: n }).map((units) => units.join('')));
}

/** `^[^…]*$`: the code points a pattern of that shape refuses, as a test; undefined for any other pattern. */
export function refusedByPattern(pattern: string | undefined): ((c: string) => boolean) | undefined {
  if (pattern === undefined) return () => false;
  const match = /^\^\[\^(.+)\]\*\$$/.exec(pattern);
  if (!match) return undefined;
  const refused = new RegExp(`[${match[1]}]`, 'u');
  return (c) => refused.test(c);
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
const ATEXT = [...ALNUM, ..."!#$%&'*+/=?^_`{|}~-".split('')];

/**
 * An address of the contract's ASCII syntax: dot-atoms of `atext` up to 64 characters, then two
 * or more labels of letters, digits and inner hyphens up to 63 characters. At most `max` long.
 */
export function email(max: number): fc.Arbitrary<string> {
  const atom = fc.string({ unit: fc.constantFrom(...ATEXT), minLength: 1, maxLength: 16 });
  const local = fc.oneof(
    { weight: 4, arbitrary: fc.array(atom, { minLength: 1, maxLength: 4 }).map((atoms) => atoms.join('.')) },
    { weight: 1, arbitrary: fc.integer({ min: 60, max: 64 }).chain((n) => fc.string({ unit: fc.constantFrom(...ATEXT), minLength: n, maxLength: n })) },
  );
  const inner = (min: number, maxInner: number) => fc.string({ unit: fc.constantFrom(...ALNUM, '-'), minLength: min, maxLength: maxInner });
  const end = fc.constantFrom(...ALNUM);
  const label = fc.oneof(
    { weight: 2, arbitrary: end },
    { weight: 4, arbitrary: fc.tuple(end, inner(0, 12), end).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.tuple(end, inner(61, 61), end).map((parts) => parts.join('')) },
  );
  const domain = fc.array(label, { minLength: 2, maxLength: 4 }).map((labels) => labels.join('.'));
  const usual = fc
    .tuple(local.filter((l) => l.length <= 64), domain)
    .map(([l, d]) => `${l}@${d}`)
    .filter((address) => address.length <= max);
  return fc.oneof({ weight: 9, arbitrary: usual }, { weight: 1, arbitrary: longest(max) });
}

/** An address of exactly `max` characters (when the syntax allows one): a 64-character local part, labels of up to 63. */
function longest(max: number): fc.Arbitrary<string> {
  const sizes: number[] = [];
  for (let rest = max - 65; rest > 0; ) {
    const size = rest <= 63 ? rest : Math.min(63, rest - 2);
    sizes.push(size);
    rest -= size + 1;
  }
  const alnum = (n: number) => fc.string({ unit: fc.constantFrom(...ALNUM), minLength: n, maxLength: n });
  return fc
    .tuple(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 64, maxLength: 64 }), ...sizes.map(alnum))
    .map(([l, ...labels]) => `${l}@${labels.join('.')}`);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A calendar date, `YYYY-MM-DD`, years 0001..9999, leap days and the extremes drawn often. */
export function date(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom('0001-01-01', '9999-12-31', '2024-02-29', '2000-02-29', '1900-02-28', '1970-01-01') },
    {
      weight: 5,
      arbitrary: fc
        .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    },
  );
}

/** An RFC 3339 date-time with an offset (`Z` or ±hh:mm) and 0..3 fraction digits, years 0002..9998. */
export function dateTime(): fc.Arbitrary<string> {
  const offset = fc.oneof(
    fc.constant(0),
    fc.integer({ min: -14 * 60, max: 14 * 60 }),
    fc.constantFrom(-12 * 60, 14 * 60, 5 * 60 + 45, -(3 * 60 + 30)),
  );
  return fc
    .tuple(fc.date({ min: new Date('0002-01-01T00:00:00Z'), max: new Date('9998-12-31T00:00:00Z'), noInvalidDate: true }), offset, fc.integer({ min: 0, max: 3 }), fc.boolean())
    .map(([instant, minutes, digits, zulu]) => {
      const local = new Date(instant.getTime() + minutes * 60_000);
      const fraction = digits === 0 ? '' : `.${pad(local.getUTCMilliseconds(), 3).slice(0, digits)}`;
      const zone = minutes === 0 && zulu ? 'Z' : `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
      return (
        `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
        `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}${zone}`
      );
    });
}

/** A valid value of a schema (resolved through `$ref`s); null included when the schema allows it. */
export function valid(spec: Spec, schemaOrRef: Json): fc.Arbitrary<unknown> {
  const schema = spec.schema(schemaOrRef);
  const types = typesOf(schema);
  const value = validNonNull(spec, schema, types.filter((t) => t !== 'null')[0] ?? 'string');
  const arbitrary = types.includes('null') ? fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) }) : value;
  return arbitrary.filter((v) => spec.validateSchema(schema, v) === null);
}

function validNonNull(spec: Spec, schema: Json, type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'integer':
      return integer(Number(schema.minimum ?? -JSON_MAX), Number(schema.maximum ?? JSON_MAX));
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, ...(schema.minimum === undefined ? {} : { min: Number(schema.minimum) }), ...(schema.maximum === undefined ? {} : { max: Number(schema.maximum) }) });
    case 'boolean':
      return fc.boolean();
    case 'object':
      return object(spec, schema);
    default:
      return string(schema);
  }
}

/** An integer in min..max: the bounds, small values and any safe integer. */
export function integer(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...[min, max, 0, 1, -1].filter((n) => n >= min && n <= max)) },
    { weight: 4, arbitrary: fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 1000) }) },
    { weight: 3, arbitrary: fc.maxSafeInteger().filter((n) => n >= min && n <= max) },
  );
}

function string(schema: Json): fc.Arbitrary<string> {
  const min = Number(schema.minLength ?? 0);
  const max = Number(schema.maxLength ?? min + 64);
  if (schema.format === 'email') return email(max);
  if (schema.format === 'date') return date();
  if (schema.format === 'date-time') return dateTime();
  const refused = refusedByPattern(schema.pattern as string | undefined);
  if (refused) {
    // Now and then only whitespace: a server that trims, or refuses blank strings, shows it.
    const blank = text(fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\u3000'), min, max).filter((s) => [...s].every((c) => !refused(c)));
    return fc.oneof({ weight: 8, arbitrary: text(codePoint(refused), min, max) }, { weight: 1, arbitrary: blank });
  }
  // Any other pattern: generate from it (fast-check cannot generate lookaheads, so they are dropped
  // here and enforced by the validator that filters every value).
  const pattern = String(schema.pattern).replace(/\(\?[=!][^()]*\)/g, '');
  return fc.stringMatching(new RegExp(pattern, 'u')).filter((s) => [...s].length >= min && [...s].length <= max);
}

function object(spec: Spec, schema: Json): fc.Arbitrary<Json> {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valid(spec, property)]));
  return fc.record(model, { requiredKeys: (schema.required as string[] | undefined) ?? [] }) as fc.Arbitrary<Json>;
}

/** A value that breaks one keyword of a field, and which one. */
export interface BadValue {
  value: unknown;
  why: string;
}

const wrongTypes: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.constantFrom('5', 'true', 'null', ''),
  integer: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(JSON_MAX)),
  number: fc.constantFrom(1.5, -0.25, 1e300),
  boolean: fc.boolean(),
  null: fc.constant(null),
  object: fc.constantFrom({}, { value: 1 }),
  array: fc.constantFrom([], [1], ['a']),
};

/**
 * Values that break exactly one keyword of a field's schema (its type, a length, the pattern, the
 * format, a bound), each naming the keyword. Every value is checked to be invalid by the document.
 */
export function badValues(spec: Spec, schemaOrRef: Json, validStrings?: fc.Arbitrary<string>): fc.Arbitrary<BadValue> {
  const schema = spec.schema(schemaOrRef);
  const types = typesOf(schema);
  const kinds: fc.Arbitrary<BadValue>[] = [];
  const allowed = (type: string): boolean => types.includes(type) || (type === 'integer' && types.includes('number'));
  const others = Object.keys(wrongTypes).filter((type) => !allowed(type));
  if (others.length > 0) {
    kinds.push(fc.constantFrom(...others).chain((type) => wrongTypes[type]!.map((value) => ({ value, why: `type: ${type} instead of ${types.join(' or ')}` }))));
  }

  if (types.includes('string')) {
    const refused = refusedByPattern(schema.pattern as string | undefined);
    const unit = codePoint(refused ?? (() => false));
    const min = Number(schema.minLength ?? 0);
    if (schema.maxLength !== undefined) {
      const max = Number(schema.maxLength);
      kinds.push(text(unit, max + 1, max + 3).map((value) => ({ value, why: `maxLength ${max}: ${[...value].length} code points` })));
    }
    if (min > 0) kinds.push(text(unit, 0, min - 1).map((value) => ({ value, why: `minLength ${min}: ${[...value].length} code points` })));
    if (schema.pattern !== undefined) {
      const max = Number(schema.maxLength ?? min + 64);
      const base = validStrings ?? string(schema);
      if (refused) {
        // A refused code point (U+0000) inserted into a valid string, the length kept in range.
        const bad = fc.constantFrom(...[...'\u0000'].filter(refused));
        kinds.push(
          fc.tuple(base, bad, fc.nat()).map(([value, c, at]) => {
            const units = [...value];
            const i = units.length === 0 ? 0 : at % units.length;
            if (units.length >= max && units.length > 0) units[i] = c;
            else units.splice(i, 0, c);
            return { value: units.join(''), why: `pattern ${String(schema.pattern)}: contains U+0000` };
          }),
        );
      } else {
        kinds.push(mutated(base, min, max).map((value) => ({ value, why: `pattern ${String(schema.pattern)}` })));
      }
    }
    if (schema.format === 'date') kinds.push(badDate().map((value) => ({ value, why: 'format: date' })));
    if (schema.format === 'date-time') kinds.push(badDateTime().map((value) => ({ value, why: 'format: date-time' })));
    if (schema.format === 'email') kinds.push(mutated(validStrings ?? string(schema), min, Number(schema.maxLength ?? 254)).map((value) => ({ value, why: 'format: email' })));
  }
  if (types.includes('integer') || types.includes('number')) {
    if (schema.maximum !== undefined) {
      const max = Number(schema.maximum);
      kinds.push(fc.oneof(fc.constant(max + 1), fc.constant(max + 2), fc.integer({ min: 1, max: 1_000_000 }).map((d) => max + d), fc.constant(2 ** 64)).map((value) => ({ value, why: `maximum ${max}` })));
    }
    if (schema.minimum !== undefined) {
      const min = Number(schema.minimum);
      kinds.push(fc.oneof(fc.constant(min - 1), fc.constant(min - 2), fc.integer({ min: 1, max: 1_000_000 }).map((d) => min - d), fc.constant(-(2 ** 64))).map((value) => ({ value, why: `minimum ${min}` })));
    }
    if (types.includes('integer')) kinds.push(fc.constantFrom(0.5, 1.5, -2.25, 1e-7).map((value) => ({ value, why: 'type: integer (a fraction)' })));
  }
  return fc.oneof(...kinds).filter(({ value }) => spec.validateSchema(schema, value) !== null);
}

/** A valid string changed by one edit: a space, a non-ASCII letter, a doubled dot, a stray character, a cut. */
function mutated(base: fc.Arbitrary<string>, min: number, max: number): fc.Arbitrary<string> {
  const edit = fc.constantFrom(' ', 'é', '..', '*', '@', '\t', 'ä', '(', ',', '\u00a0', '-.', '.-');
  return fc
    .tuple(base, edit, fc.nat(), fc.constantFrom('insert', 'prefix', 'suffix', 'cut'))
    .map(([value, piece, at, how]) => {
      const i = value.length === 0 ? 0 : at % value.length;
      if (how === 'prefix') return piece + value;
      if (how === 'suffix') return value + piece;
      if (how === 'cut') return value.slice(0, i);
      return value.slice(0, i) + piece + value.slice(i);
    })
    .filter((value) => [...value].length >= min && [...value].length <= max);
}

function badDate(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-01', '20240101', '2024-01-01T00:00:00Z', ' 2024-01-01', '2024-01-01 ', '２０２４-01-01', '2024/01/01', 'yesterday', ''),
    date().map((d) => d.replace(/-/, '')),
    date().map((d) => `${d}Z`),
  );
}

function badDateTime(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('2026-01-02T03:04:05', '2026-01-02', '2026-02-30T00:00:00Z', '2026-01-02T24:00:00Z', '2026-01-02T03:60:00Z', '2026-01-02T03:04:05+25:00', 'yesterday', '', '2026-01-02T03:04Z'),
    dateTime().map((d) => d.replace(/(Z|[+-]\d{2}:\d{2})$/, '')),
    dateTime().map((d) => d.replace('T', 'T ')),
  );
}

/** A request body that breaks the document in one respect, and the answer the contract gives. */
export interface Violation {
  /** The body, serialised as JSON; or `raw`, sent as is. */
  body?: unknown;
  raw?: string;
  status: 400 | 422;
  /** The field a 422 must name, when the violation is about one. */
  field?: string;
  why: string;
}

const extraKey = fc.oneof(
  fc.constantFrom('id', 'owner_id', 'user_id', 'created_at', 'updated_at', 'is_admin', 'constructor'),
  fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/),
);

/**
 * Bodies that violate an object schema in exactly one respect: one field's value (see
 * `badValues`), a required field missing, an unknown field, JSON that is not an object, or text
 * that is not JSON at all (400). `base` gives the valid bodies the violations start from.
 */
export function violations(spec: Spec, schemaOrRef: Json, base: fc.Arbitrary<Json>): fc.Arbitrary<Violation> {
  const schema = spec.schema(schemaOrRef);
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = (schema.required as string[] | undefined) ?? [];
  const kinds: fc.Arbitrary<Violation>[] = [];
  for (const [name, property] of Object.entries(properties)) {
    // Strings to mutate come from the valid bodies, so they carry whatever those were given (a unique address).
    const strings = base.map((body) => body[name]).filter((value): value is string => typeof value === 'string');
    kinds.push(fc.tuple(base, badValues(spec, property, strings)).map(([body, bad]): Violation => ({ body: { ...body, [name]: bad.value }, status: 422, field: name, why: `${name}: ${bad.why}` })));
  }
  for (const name of required) {
    kinds.push(
      base.map((body): Violation => {
        const { [name]: _missing, ...rest } = body;
        return { body: rest, status: 422, field: name, why: `${name}: required, missing` };
      }),
    );
  }
  if (schema.additionalProperties === false) {
    kinds.push(
      fc
        .tuple(base, extraKey.filter((key) => !(key in properties)), fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null)))
        .map(([body, key, value]): Violation => ({ body: { ...body, [key]: value }, status: 422, field: key, why: `additionalProperties: unknown field ${key}` })),
    );
  }
  kinds.push(
    fc
      .oneof(base.map((body) => [body]), fc.constantFrom<unknown>([], 'text', 42, true, null))
      .map((body): Violation => ({ body, status: 422, why: 'type: not an object' })),
  );
  kinds.push(
    fc
      .tuple(base, fc.constantFrom('truncated', 'trailing comma', 'single quotes', 'bare word', 'trailing text'))
      .map(([body, how]): Violation => {
        const json = JSON.stringify(body);
        const raw =
          how === 'truncated' ? json.slice(0, -1)
          : how === 'trailing comma' ? `${json.slice(0, -1)}${json === '{}' ? '"a":1,' : ','}}`
          : how === 'single quotes' ? `{'a': 1${json === '{}' ? '' : `, ${json.slice(1, -1)}`}}`
          : how === 'bare word' ? `{a: 1${json === '{}' ? '' : `, ${json.slice(1, -1)}`}}`
          : `${json} x`;
        return { raw, status: 400, why: `not JSON: ${how}` };
      }),
  );
  return fc.oneof(...kinds).filter((v) => v.raw !== undefined || spec.validateSchema(schema, v.body) !== null);
}

/** Tokens that are not a plain decimal integer, as a query or path segment would carry them (encoded). */
export const notDecimal = fc.constantFrom('1.5', 'abc', '1e1', '+1', '0x10', '\u0661', '1_0', ' 1', '1 ', '', '-', '0.0', '1,2', 'null', 'true', '-0', '\uff11', '١٢').map((token) =>
  encodeURIComponent(JSON.parse(`"${token}"`) as string),
);
