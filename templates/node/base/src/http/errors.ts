import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { HttpError, sendProblem, type FieldError } from './problem.js';

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

// Fixed texts for Fastify's own client errors: never echo internals or the raw input.
const CLIENT_ERROR_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than 1 MiB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request body must be sent as application/json',
};

const METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'] as const;

export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error.validation) {
    const context = error.validationContext ?? 'body';
    return sendProblem(
      reply,
      422,
      'The request is invalid',
      error.validation.map((issue) => toFieldError(issue, context)),
    );
  }
  if (error instanceof HttpError) {
    return sendProblem(reply.headers(error.headers), error.statusCode, error.message, error.errors);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return sendProblem(reply, status, CLIENT_ERROR_DETAILS[error.code]);
  }
  // Everything else is a bug or an outage: log it in full, tell the client nothing about it.
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, 500);
}

/** 404 for unknown paths; 405 with `Allow` for known paths called with another method. */
export function notFoundHandler(app: FastifyInstance) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const url = request.url.split('?')[0] ?? '/';
    // findRoute() matches concrete URLs like the router does, and returns null (untyped) on a miss.
    const allowed = METHODS.filter(
      (method) => (app.findRoute({ method, url }) as unknown) !== null,
    );
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(reply, 405, `${request.method} is not allowed here`);
    }
    return sendProblem(reply, 404, 'No such resource');
  };
}

function toFieldError(issue: ValidationIssue, context: string): FieldError {
  const path = issue.instancePath.slice(1).replaceAll('/', '.');
  const child = (name: unknown) =>
    [path, typeof name === 'string' ? name : ''].filter(Boolean).join('.');
  switch (issue.keyword) {
    case 'required':
      return { field: child(issue.params.missingProperty), message: 'is required' };
    case 'additionalProperties':
      return { field: child(issue.params.additionalProperty), message: 'is not an allowed field' };
    default:
      return { field: path || context, message: issue.message ?? 'is invalid' };
  }
}
