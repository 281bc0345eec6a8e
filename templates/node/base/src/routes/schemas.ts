// JSON schemas of the request bodies and responses, mirroring openapi.json. Bodies reject unknown
// fields; response schemas also keep anything not listed (a password hash) out of responses.

// PostgreSQL text cannot hold U+0000: refuse it up front rather than fail in the database.
const NO_NUL = '^[^\\u0000]*$';

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
    email: { type: 'string', format: 'email' },
    password: { type: 'string', minLength: 12, maxLength: 128 },
  },
} as const;

export const loginBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: {
    email: { type: 'string', minLength: 1, maxLength: 254, pattern: NO_NUL },
    password: { type: 'string', minLength: 1, maxLength: 128 },
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

const title = { type: 'string', minLength: 1, maxLength: 200, pattern: NO_NUL } as const;
const body = { type: ['string', 'null'], maxLength: 10_000, pattern: NO_NUL } as const;

export const noteCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title'],
  properties: { title, body },
} as const;

export const noteUpdateSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { title, body },
} as const;

export const noteSchema = {
  type: 'object',
  required: ['id', 'title', 'body', 'created_at', 'updated_at'],
  properties: {
    id: { type: 'integer' },
    title: { type: 'string' },
    body: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
} as const;

export const noteListSchema = {
  type: 'object',
  required: ['items', 'total', 'limit', 'offset'],
  properties: {
    items: { type: 'array', items: noteSchema },
    total: { type: 'integer' },
    limit: { type: 'integer' },
    offset: { type: 'integer' },
  },
} as const;

export const paginationQuerySchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', finite: true, minimum: 1, maximum: 100, default: 20 },
    // Bounded so every accepted value binds as an exact integer in both databases.
    offset: {
      type: 'integer',
      finite: true,
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 0,
    },
  },
} as const;
