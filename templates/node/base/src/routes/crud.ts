// What the routes of every resource share: ids in the path, pagination, list and item shapes.
import type { FastifyReply, FastifyRequest } from 'fastify';

import { HttpError } from '../http/problem.js';

export interface IdParams {
  id: string;
}

export interface PageQuery {
  limit: number;
  offset: number;
}

// Ids are PostgreSQL `integer`s; anything else cannot name an item.
const MAX_ID = 2_147_483_647;

/** The id in a path, or `undefined` when the text cannot be one (the caller answers 404). */
export function parseId(raw: string): number | undefined {
  const id = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : Number.NaN;
  return id <= MAX_ID ? id : undefined;
}

export const paginationQuerySchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', finite: true, minimum: 1, maximum: 100, default: 20 },
    // A 32-bit bound, like the ids: no table gets further, and every database binds it exactly.
    offset: { type: 'integer', finite: true, minimum: 0, maximum: 2_147_483_647, default: 0 },
  },
} as const;

/**
 * Query values are coerced to numbers before schema validation, and that coercion also takes
 * "1e2", "10.0" or "+5". The contract accepts plain decimal digits only, like every stack.
 */
export function requireDecimalPagination(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  const query = request.query as Record<string, unknown>;
  const errors = ['limit', 'offset']
    .filter((field) => {
      const value = query[field];
      return value !== undefined && !(typeof value === 'string' && /^[0-9]+$/.test(value));
    })
    .map((field) => ({ field, message: 'must be a whole number written in decimal digits' }));
  done(errors.length > 0 ? new HttpError(422, 'The request is invalid', { errors }) : undefined);
}

/** The response schema of one page of items. */
export function pageSchema<Item extends object>(item: Item) {
  return {
    type: 'object',
    required: ['items', 'total', 'limit', 'offset'],
    properties: {
      items: { type: 'array', items: item },
      total: { type: 'integer' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
    },
  } as const;
}
