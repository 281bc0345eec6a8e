import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

const QUIETER_THAN_INFO = new Set(['warn', 'error', 'fatal', 'silent']);

/**
 * One log line per request, written when it is answered, with the method, URL, status and time:
 * Fastify's default writes two (one on arrival), which doubles what every request spends on
 * logging. A route whose logger is quieter than `info` is left out (`/health`'s is).
 */
export class OneLineRequestLog extends LogController {
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
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
