import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';

import { HttpError } from '../http/problem.js';
import type { UserRepository } from '../repositories/users.js';
import type { AuthEventLog } from './events.js';
import type { TokenService } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user's id, set by `bearerAuth` on protected routes. */
    userId: number;
  }
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i;

export function unauthorized(detail = 'A valid bearer token is required'): HttpError {
  return new HttpError(401, detail, { headers: { 'www-authenticate': 'Bearer' } });
}

/**
 * The one `Authorization` header of a request. Node keeps only the first of several, and a proxy
 * may have read another one: a request with more than one is refused rather than guessed at.
 */
function authorizationHeader(request: FastifyRequest): string | undefined {
  const { rawHeaders } = request.raw;
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === 'authorization') count++;
  }
  return count === 1 ? request.headers.authorization : undefined;
}

/**
 * An `onRequest` hook that admits only requests with a valid access token of an existing user: a
 * token outlives the account it was issued for until it expires, and must not act for it.
 */
export function bearerAuth(
  tokens: TokenService,
  users: UserRepository,
  events: AuthEventLog,
): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const token = BEARER.exec(authorizationHeader(request) ?? '')?.[1];
    const userId = token === undefined ? undefined : tokens.verify(token);
    if (userId === undefined || !(await users.exists(userId))) {
      // A request without credentials is not an event; one with a bad or stale token is.
      if (request.headers.authorization !== undefined) {
        events.record(request, 'token.rejected', userId);
      }
      throw unauthorized();
    }
    request.userId = userId;
  };
}
