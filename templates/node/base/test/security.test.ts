import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app.js';
import { createTestApp, type TestApp } from './helpers.js';

const ALLOWED_ORIGIN = 'https://app.example.com';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: `${ALLOWED_ORIGIN}, http://localhost:5173` });
});
afterAll(() => t.close());

describe('security headers', () => {
  it.each(['/health', '/api/v1/notes', '/api/v1/auth/me', '/no-such-path'])(
    'are set on %s, whatever the status',
    async (url) => {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
      });
      expect(response.headers).not.toHaveProperty('x-powered-by');
      expect(response.headers).not.toHaveProperty('server');
      expect(response.headers).not.toHaveProperty('strict-transport-security');
    },
  );

  it('forbids caching of API responses, errors included', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('sends HSTS in production', async () => {
    const app = await buildApp({ config: { ...t.config, appEnv: 'production' }, db: t.db });
    try {
      const response = await app.inject({ method: 'GET', url: '/health' });
      expect(response.headers['strict-transport-security']).toBe(
        'max-age=31536000; includeSubDomains',
      );
    } finally {
      await app.close();
    }
  });
});

describe('CORS', () => {
  it('echoes an allowed origin', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: ALLOWED_ORIGIN },
    });
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it('answers a preflight from an allowed origin with 204', async () => {
    const response = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/notes',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(String(response.headers['access-control-allow-methods'])).toContain('POST');
  });

  it('gives any other origin no CORS headers', async () => {
    for (const method of ['GET', 'OPTIONS'] as const) {
      const response = await t.app.inject({
        method,
        url: '/api/v1/notes',
        headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'GET' },
      });
      const corsHeaders = Object.keys(response.headers).filter((name) =>
        name.startsWith('access-control-'),
      );
      expect(corsHeaders).toEqual([]);
    }
  });
});
