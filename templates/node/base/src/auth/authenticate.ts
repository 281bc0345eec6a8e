import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';

import { HttpError } from '../http/problem.js';
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

/** An `onRequest` hook that admits only requests with a valid access token. */
export function bearerAuth(tokens: TokenService): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const userId = token === undefined ? undefined : await tokens.verify(token);
    if (userId === undefined) throw unauthorized();
    request.userId = userId;
  };
}
