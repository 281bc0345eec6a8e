import type { FastifySchemaCompiler } from 'fastify';
import { _, Ajv, type KeywordCxt, type Options } from 'ajv';

import { isCalendarDate, isDateTime, utcTimestamp } from './formats.js';

// The contract's email syntax, checked on the trimmed value (emails are trimmed before use);
// control characters are refused too.
const EMAIL = /^[^@\s\p{Cc}]+@[^@\s\p{Cc}]+\.[^@\s\p{Cc}]+$/u;
export const MAX_EMAIL_LENGTH = 254;

const common: Options = {
  allErrors: true,
  // Unknown keywords in a route schema are a bug, not something to ignore.
  strict: true,
  removeAdditional: false,
};

/**
 * JSON bodies are validated as sent: no type coercion ("1" is not a number) and no silent removal of
 * unknown fields (Fastify's default Ajv does both); schemas reject unknown fields instead.
 * `strictNumbers` refuses the Infinity that JSON.parse makes of 1e999.
 */
const bodyAjv = new Ajv({ ...common, coerceTypes: false, useDefaults: false, strictNumbers: true });
bodyAjv.addFormat('date', isCalendarDate);
bodyAjv.addFormat('date-time', isDateTime);
/** Where a value sits in the body: Ajv hands it to modifying keywords. */
interface ValueLocation {
  parentData: Record<string | number, unknown>;
  parentDataProperty: string | number;
}
// `utc: true` rewrites a valid date-time in place to the one form it is stored and answered in,
// so the routes and repositories never see an offset.
bodyAjv.addKeyword({
  keyword: 'utc',
  type: 'string',
  schemaType: 'boolean',
  modifying: true,
  validate: (enabled: boolean, data: string, _schema: unknown, cxt?: ValueLocation) => {
    if (enabled && cxt && isDateTime(data)) {
      cxt.parentData[cxt.parentDataProperty] = utcTimestamp(data);
    }
    return true;
  },
});
bodyAjv.addFormat('email', (value: string) => {
  const email = value.trim();
  return email.length <= MAX_EMAIL_LENGTH && EMAIL.test(email);
});

/** Query strings and path params are always strings on the wire, so they are coerced. */
const urlAjv = new Ajv({ ...common, coerceTypes: true, useDefaults: true });
// Ajv coerces "1e309" to Infinity, which its `type: integer` and range checks then let through.
// (Declared for every type: Ajv guards number keywords with isFinite, so they would skip it too.)
urlAjv.addKeyword({
  keyword: 'finite',
  schemaType: 'boolean',
  error: { message: 'must be a finite number' },
  code: (cxt: KeywordCxt) => {
    cxt.fail(_`typeof ${cxt.data} == "number" && !Number.isFinite(${cxt.data})`);
  },
});

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : urlAjv).compile(schema);
