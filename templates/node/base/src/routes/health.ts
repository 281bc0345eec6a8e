import type { FastifyInstance } from 'fastify';

import type { Database } from '../db/index.js';
import { ALWAYS_ANSWER } from '../http/overload.js';
import { HttpError } from '../http/problem.js';
import { statusSchema } from './schemas.js';

const QUIETER_THAN_WARN = new Set(['error', 'fatal', 'silent']);

export interface HealthRoutesOptions {
  db: Database;
}

export function healthRoutes(app: FastifyInstance, { db }: HealthRoutesOptions): void {
  const schema = { response: { 200: statusSchema } };

  // Liveness: the process answers; deliberately independent of the database, answered even
  // while other requests are shed, and not logged (probes would drown the request log). Every
  // probe shares one logger at `warn` (or LOG_LEVEL, if quieter): a child per request at a level
  // of its own would cost pino a rebuild of its log methods each time.
  const probeLog = app.log.child(
    {},
    { level: QUIETER_THAN_WARN.has(app.log.level) ? app.log.level : 'warn' },
  );
  app.get('/health', { schema, config: ALWAYS_ANSWER, childLoggerFactory: () => probeLog }, () => ({
    status: 'ok',
  }));

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
