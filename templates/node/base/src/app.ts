import Fastify, { type FastifyInstance } from 'fastify';

import { PasswordHasher } from './auth/passwords.js';
import { LoginThrottle } from './auth/throttle.js';
import { TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { registerSecurity } from './http/security.js';
import { validatorCompiler } from './http/validation.js';
import { NoteRepository } from './repositories/notes.js';
import { UserRepository } from './repositories/users.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { notesRoutes } from './routes/notes.js';
import { openapiRoute } from './routes/openapi.js';

export const BODY_LIMIT_BYTES = 1_048_576;

export interface AppDependencies {
  config: Config;
  db: Database;
}

/** Builds the application without listening, so tests can drive it with `app.inject()`. */
export async function buildApp({ config, db }: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          'password',
          '*.password',
          'access_token',
          '*.access_token',
          'token',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    bodyLimit: BODY_LIMIT_BYTES,
    // Behind a reverse proxy, set `trustProxy` to the proxy's address so `request.ip` (the login
    // throttle's key) is the client's address rather than the proxy's.
    trustProxy: false,
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  // Only JSON bodies are accepted: without a parser, any other content type answers 415.
  app.removeContentTypeParser('text/plain');

  await registerSecurity(app, config);
  app.setNotFoundHandler(notFoundHandler(app));

  const passwords = new PasswordHasher();
  const tokens = new TokenService(config.jwt);
  const throttle = new LoginThrottle({ maxFailures: 5, windowMs: 60_000 });
  app.addHook('onReady', () => passwords.warmUp());

  await app.register(healthRoutes, { db });
  if (config.openapiEnabled) await app.register(openapiRoute);
  await app.register(authRoutes, {
    prefix: '/api/v1/auth',
    users: new UserRepository(db),
    passwords,
    tokens,
    throttle,
  });
  await app.register(notesRoutes, {
    prefix: '/api/v1/notes',
    notes: new NoteRepository(db),
    tokens,
  });
  return app;
}
