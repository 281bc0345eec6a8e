// JSON schemas of the request bodies and responses, mirroring openapi.json. Bodies reject unknown
// fields; response schemas also keep anything not listed (a password hash) out of responses.

/**
 * Text a database can store as it was sent: PostgreSQL text cannot hold U+0000, and a lone
 * surrogate has no UTF-8 form (it would be stored as U+FFFD). Refused up front, not mangled.
 */
export const STORABLE_TEXT = '^[^\\u0000\\p{Cs}]*$';

/** No U+0000 in any string of a request body (a password is never stored, only hashed). */
export const NO_NUL = '^[^\\u0000]*$';

export const userSchema = {
  type: 'object',
  required: ['id', 'email'],
  properties: { id: { type: 'integer' }, email: { type: 'string' } },
} as const;

export const statusSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;

export const registerBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: {
    // The format is ASCII only, so its lengths are bytes as well as code points.
    email: { type: 'string', minLength: 3, maxLength: 254, format: 'email' },
    password: { type: 'string', minLength: 12, maxLength: 128, pattern: NO_NUL },
  },
} as const;

export const loginBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: {
    // Any text: an address that matches no account is simply a failed login.
    email: { type: 'string', minLength: 1, maxLength: 254, pattern: NO_NUL },
    password: { type: 'string', minLength: 1, maxLength: 128, pattern: NO_NUL },
  },
} as const;

export const tokenSchema = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in'],
  properties: {
    access_token: { type: 'string' },
    token_type: { type: 'string' },
    expires_in: { type: 'integer' },
  },
} as const;
