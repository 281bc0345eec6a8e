import type { Socket } from 'node:net';

import type {
  ConnectionError,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
} from 'fastify';

import { HttpError, problem, sendProblem, type FieldError } from './problem.js';
import { applySecurityHeaders } from './security.js';

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/** However many problems a body has, a client learns about this many: the answer stays small. */
export const MAX_FIELD_ERRORS = 20;

// Fixed texts for Fastify's own client errors: never echo internals or the raw input.
const CLIENT_ERROR_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than 1 MiB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request body must be sent as application/json',
};

/** The methods routes are declared with; `Allow` lists those a path answers to. */
const ROUTED_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'] as const;

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
      error.validation.slice(0, MAX_FIELD_ERRORS).map((issue) => toFieldError(issue, context)),
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

/** The methods `url` answers to: its `Allow` header, empty for an unknown path. */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = url.split('?', 1)[0] ?? '/';
  // findRoute() matches concrete URLs like the router does, and returns null (untyped) on a miss.
  return ROUTED_METHODS.filter((method) => {
    try {
      return (app.findRoute({ method, url: path }) as unknown) !== null;
    } catch {
      return false; // a path the router cannot decode names nothing
    }
  });
}

/** 404 for an unknown path; 405 with `Allow` for a known path called with another method. */
function sendUnrouted(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const allowed = allowedMethods(app, request.url);
  if (allowed.length > 0) {
    reply.header('allow', allowed.join(', '));
    return sendProblem(reply, 405, 'This method is not allowed here');
  }
  return sendProblem(reply, 404, 'No such resource');
}

/**
 * Answers a request no route matches as soon as it arrives. Fastify would otherwise parse its
 * body first, so a method it treats as carrying one (QUERY, or PUT with a form) would get a 400
 * or 415 about a body nobody reads instead of the 405 it deserves.
 */
export function answerUnrouted(app: FastifyInstance): onRequestHookHandler {
  return (request, reply, done) => {
    if (request.is404) sendUnrouted(app, request, reply);
    else done();
  };
}

/** The same answers for requests a route hands back to the router (`reply.callNotFound()`). */
export function notFoundHandler(app: FastifyInstance) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply =>
    sendUnrouted(app, request, reply);
}

/**
 * HTTP/1.1 requires a Host header. Node can refuse its absence itself, but with a bare 400 that
 * skips every hook; the check lives here so the answer looks like every other error.
 */
export const requireHost: onRequestHookHandler = (request, reply, done) => {
  if (request.raw.httpVersion === '1.1' && !request.headers.host) {
    sendProblem(reply, 400, 'The Host header is required');
  } else {
    done();
  }
};

/**
 * Errors the router raises before any hook runs (Fastify's `frameworkErrors`): a path with
 * malformed percent-encoding (400) or a path parameter longer than the router takes, which can
 * name nothing (404). Answered with the usual headers; the URL and Fastify's code are not echoed.
 */
export function routerErrorHandler(headers: Record<string, string>) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    applySecurityHeaders(reply, headers);
    if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') sendProblem(reply, 404, 'No such resource');
    else sendProblem(reply, 400, 'The request URL is malformed');
  };
}

// The request line as Node received it; the method is any RFC 9110 token.
const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ (\/\S*) HTTP\/1\.[01]\r?\n/;

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request (Fastify's
 * `clientErrorHandler`): a method Node does not know (405 or 404, as the router would answer),
 * headers over the size limit (431), a request that timed out (408), anything malformed (400).
 * Written to the socket by hand, with the security headers and a problem body like every error.
 */
export function clientErrorHandler(app: () => FastifyInstance, headers: Record<string, string>) {
  return (error: ConnectionError, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) return;
    let status = 400;
    let detail = 'The request is malformed';
    const extra: Record<string, string> = {};
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      status = 431;
      detail = 'The request headers are too large';
    } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      status = 408;
      detail = 'The request took too long to arrive';
    } else if (error.code === 'HPE_INVALID_METHOD') {
      // Node hands over the bytes it could not parse as a Buffer (Fastify types them as its JSON).
      const raw = error.rawPacket as unknown;
      const target = Buffer.isBuffer(raw) ? REQUEST_LINE.exec(raw.toString('latin1'))?.[1] : null;
      if (target) {
        const allowed = allowedMethods(app(), target);
        status = allowed.length > 0 ? 405 : 404;
        detail = allowed.length > 0 ? 'This method is not allowed here' : 'No such resource';
        if (allowed.length > 0) extra.allow = allowed.join(', ');
      }
    }
    const body = JSON.stringify(problem(status, detail));
    const head = Object.entries({
      ...headers,
      // The path may not even be known: never let a cache keep this answer.
      'cache-control': 'no-store',
      ...extra,
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      // The parser cannot go on after an error: this connection serves no further request.
      connection: 'close',
    }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(`HTTP/1.1 ${status} ${problem(status).title}\r\n${head.join('')}\r\n${body}`);
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
