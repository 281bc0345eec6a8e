import type { FastifyReply } from 'fastify';

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem document, the body of every error response. */
export interface Problem {
  type: 'about:blank';
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

// RFC 9110 reason phrases (Node's table still has the older names for 413 and 422).
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface HttpErrorOptions {
  headers?: Record<string, string>;
  errors?: FieldError[];
}

/** An error meant for the client: its status, detail and headers are sent as they are. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly errors: FieldError[] | undefined;

  constructor(statusCode: number, detail?: string, options: HttpErrorOptions = {}) {
    super(detail ?? '');
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.headers = options.headers ?? {};
    this.errors = options.errors;
  }
}

export function problem(status: number, detail?: string, errors?: FieldError[]): Problem {
  return {
    type: 'about:blank',
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    ...(detail ? { detail } : {}),
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  detail?: string,
  errors?: FieldError[],
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send(JSON.stringify(problem(status, detail, errors)));
}
