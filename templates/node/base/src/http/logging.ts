import {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';

const QUIETER_THAN_INFO = new Set(['warn', 'error', 'fatal', 'silent']);

/** Where credentials sit in a request or response, if a serializer writes its headers. */
const HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * What the app's logger redacts: credentials in headers, and a `password`, `token` or
 * `access_token` at the top level or one level down of anything logged.
 */
export const REDACT = {
  paths: [
    ...HEADER_PATHS,
    'password',
    '*.password',
    'access_token',
    '*.access_token',
    'token',
    '*.token',
  ],
  censor: '[redacted]',
};

/**
 * One log line per request, written when it is answered, with the method, URL, status and time:
 * Fastify's default writes two (one on arrival), which doubles what every request spends on
 * logging. A route whose logger is quieter than `info` is left out (`/health`'s is).
 */
export class OneLineRequestLog extends LogController {
  #completed: FastifyBaseLogger | undefined;

  override incomingRequest(): void {
    // Folded into requestCompleted.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    // `/health`'s logger is at `warn`: nothing to build for a line that would not be written.
    if (!error && QUIETER_THAN_INFO.has(reply.log.level)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) {
      reply.log.error({ ...line, err: error }, 'request errored');
      return;
    }
    // The line of a completed request holds only what the serializers take (method, URL,
    // addresses, status): no body. REDACT's wildcard paths would search it for credentials at
    // every request, about a third of what the line costs, and could never find one; the header
    // paths stay, for a serializer that adds headers. Everything else keeps REDACT whole.
    this.#completed ??= request.server.log.child(
      {},
      { level: 'info', redact: { paths: HEADER_PATHS, censor: REDACT.censor } },
    );
    this.#completed.info({ reqId: request.id, ...line }, 'request completed');
  }
}
