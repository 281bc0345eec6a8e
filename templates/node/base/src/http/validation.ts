import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { _, Ajv, type KeywordCxt, type Options } from 'ajv';

import { isCalendarDate, isDateTime, utcTimestamp } from './formats.js';
import { HttpError } from './problem.js';

/**
 * The contract's email syntax (openapi.json): ASCII only, an RFC 5321 dot-atom local part of at
 * most 64 characters, a domain of letter-digit-hyphen labels. Checked as sent, never trimmed; with
 * ASCII only, lower-casing cannot change the length, so the 254 limit holds for what is stored.
 */
const EMAIL =
  /^(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
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
bodyAjv.addFormat(
  'email',
  (value: string) => value.length <= MAX_EMAIL_LENGTH && EMAIL.test(value),
);

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

// `charset=utf-8`, possibly quoted; any other parameter is left alone.
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/**
 * JSON bodies are UTF-8 (RFC 8259): a body declared in another charset (`utf-7`, `latin-1`) would
 * be read as something else than the client meant, so it answers 415. Fastify's own JSON parser
 * does the parsing, with its protection against `__proto__` and `constructor` keys.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request, body: string, done) => {
      const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8') {
        done(new HttpError(415, 'The request body must be UTF-8 JSON'), undefined);
        return;
      }
      void parseJson(request, body, done);
    },
  );
}
