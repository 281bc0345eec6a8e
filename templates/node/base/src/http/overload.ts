import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';

import { HttpError } from './problem.js';

/** How long an overloaded server asks clients to wait before retrying. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 5;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `@fastify/under-pressure`'s per-route override; see `ALWAYS_ANSWER`. */
    pressureHandler?: () => void;
  }
}

/** What a request gets while the server sheds load: a problem answer, like every error. */
class OverloadedError extends HttpError {
  constructor() {
    super(503, 'The server is overloaded: retry shortly', {
      headers: { 'retry-after': String(OVERLOAD_RETRY_AFTER_SECONDS) },
    });
  }
}

/**
 * Sheds load when the event loop lags (`MAX_EVENT_LOOP_DELAY_MS`, sampled each second): every
 * request queued behind a saturated loop would answer too late for a client that has likely
 * given up, so new ones get a cheap 503 until the backlog is gone. 0 turns it off.
 */
export async function registerOverloadProtection(
  app: FastifyInstance,
  maxEventLoopDelayMs: number,
): Promise<void> {
  if (maxEventLoopDelayMs === 0) return;
  await app.register(underPressure, {
    maxEventLoopDelay: maxEventLoopDelayMs,
    retryAfter: OVERLOAD_RETRY_AFTER_SECONDS,
    customError: OverloadedError,
  });
}

/**
 * Route config of what must answer even under pressure: liveness. A 503 there would have the
 * orchestrator restart a process that is merely busy. (`/ready` may shed: a busy instance then
 * gets less traffic.)
 */
export const ALWAYS_ANSWER = { pressureHandler: () => undefined } as const;
