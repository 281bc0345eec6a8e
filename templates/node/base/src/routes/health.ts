import type { FastifyInstance } from 'fastify';

import type { Database } from '../db/index.js';
import { LIVE } from '../http/liveness.js';
import { ALWAYS_ANSWER } from '../http/overload.js';
import { HttpError } from '../http/problem.js';
import { statusSchema } from './schemas.js';

export interface HealthRoutesOptions {
  db: Database;
}

export function healthRoutes(app: FastifyInstance, { db }: HealthRoutesOptions): void {
  const schema = { response: { 200: statusSchema } };

  // Liveness: the process answers; deliberately independent of the database, answered even
  // while other requests are shed, and not logged (probes would drown the request log). The
  // server answers the plain probe before Fastify (http/liveness.ts); this route answers the rest
  // (HEAD, a query string) and documents it.
  app.get('/health', { schema, config: ALWAYS_ANSWER, logLevel: 'warn' }, () => LIVE);

  // Readiness: take traffic only while the database answers.
  app.get('/ready', { schema }, async (request) => {
    try {
      await db.query('SELECT 1');
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      throw new HttpError(503, 'The database is not reachable');
    }
    return { status: 'ok' };
  });
}
