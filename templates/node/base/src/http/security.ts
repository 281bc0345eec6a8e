import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

import type { Config } from '../config.js';

// An API serves no documents: nothing may load, and nobody may frame a response.
const CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** Security headers for a JSON API, the CORS allowlist and `no-store` on API responses. */
export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    // Set below as one fixed string: an API needs no per-route policy.
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only where TLS is guaranteed; on http://localhost it would only confuse browsers.
    hsts: config.appEnv === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });

  const allowedOrigins = new Set(config.corsOrigins);
  await app.register(cors, {
    // Listed origins are echoed back; for any other origin the plugin stays silent, preflight
    // included, so the browser blocks the call.
    origin: (origin, callback) => {
      callback(null, origin !== undefined && allowedOrigins.has(origin) ? origin : false);
    },
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    // Responses carry per-user data: no browser or proxy may keep a copy.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    done();
  });
}
