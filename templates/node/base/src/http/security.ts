import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply } from 'fastify';

import type { Config } from '../config.js';

/**
 * The headers of every response, errors included. An API serves no documents, so the set is one
 * fixed list rather than a per-route policy: nothing may load, frame, sniff or leak a referrer.
 * It is data, not a plugin, because some responses are written before any hook runs (see
 * `clientErrorHandler` and `routerErrorHandler` in errors.ts).
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
};

// Only where TLS is guaranteed; on http://localhost it would only confuse browsers.
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(config: Pick<Config, 'hsts'>): Record<string, string> {
  return config.hsts
    ? { ...SECURITY_HEADERS, 'strict-transport-security': HSTS }
    : { ...SECURITY_HEADERS };
}

const LEADING_API = /^\/+api\//;

/**
 * Whether a request target is under `/api/`, judged on its decoded path with runs of slashes
 * collapsed, so that `/%61pi/v1/…` (which the router serves as `/api/v1/…`) and `//api/v1/…`
 * (which a proxy or a browser may treat as it) count too. Escapes are decoded byte by byte:
 * enough for an ASCII prefix, and malformed UTF-8 cannot make it throw.
 */
export function isApiPath(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '';
  // Most paths have no escape to decode (every probe and API call of a well-behaved client).
  if (!path.includes('%')) return LEADING_API.test(path);
  const decoded = path.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return decoded.replace(/\/{2,}/g, '/').startsWith('/api/');
}

/** Sets the security headers, and `no-store` on API responses: they carry per-user data. */
export function applySecurityHeaders(reply: FastifyReply, headers: Record<string, string>): void {
  reply.headers(headers);
  if (isApiPath(reply.request.url)) reply.header('cache-control', 'no-store');
}

/** Security headers for a JSON API, the CORS allowlist and `no-store` on API responses. */
export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  const headers = securityHeaders(config);
  // The first hook of all, so that every answer, 404, 405 and 401 included, carries them.
  app.addHook('onRequest', (_request, reply, done) => {
    applySecurityHeaders(reply, headers);
    done();
  });

  // Without CORS_ORIGINS no browser origin may call the API: the plugin would only spend a hook
  // on every request to stay silent, and a preflight gets the 405 of any unknown method.
  if (config.corsOrigins.length === 0) return;
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
}
