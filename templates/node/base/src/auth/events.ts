import type { FastifyRequest } from 'fastify';

/** What happened. `*.throttled` is an attempt refused with 429 before anything was checked. */
export type AuthEvent =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'register.succeeded'
  | 'register.throttled'
  | 'token.rejected';

/**
 * Authentication events: one structured log line each (`authEvent` with the event, the user id
 * when known and the client address), on by default in projects that handle sensitive data
 * (`AUTH_EVENT_LOG`). A line never holds a password, a token or the submitted email: people type
 * passwords into the email field.
 */
export interface AuthEventLog {
  record(request: FastifyRequest, event: AuthEvent, userId?: number): void;
}

export function authEventLog(enabled: boolean): AuthEventLog {
  return {
    record(request, event, userId) {
      if (!enabled) return;
      request.log.info(
        { authEvent: { event, userId: userId ?? null, client: request.ip } },
        `auth ${event}`,
      );
    },
  };
}
