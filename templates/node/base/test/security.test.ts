import { connect } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app.js';
import { createTestApp, type TestApp } from './helpers.js';

const ALLOWED_ORIGIN = 'https://app.example.com';
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

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
      expect(response.headers).toMatchObject(SECURITY_HEADERS);
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

  it.each(['/%61pi/v1/notes', '/%61%70%69/v1/auth/me', '/api/v1/notes/%ZZ', '//api/v1/notes'])(
    'forbids caching of %s, which decodes to a path under /api/',
    async (url) => {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.headers['cache-control']).toBe('no-store');
    },
  );

  it('sends HSTS when configured (production)', async () => {
    const app = await buildApp({ config: { ...t.config, hsts: true }, db: t.db });
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

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes over a plain socket to the listening app and reads the answer until the server
 * closes: for what Node's HTTP parser refuses, which `app.inject()` never goes through.
 */
function rawRequest(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

describe('requests Node refuses before Fastify sees them', () => {
  let live: TestApp;
  let port: number;
  beforeAll(async () => {
    live = await createTestApp();
    await live.app.listen({ host: '127.0.0.1', port: 0 });
    const address = live.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => live.close());

  function expectRawProblem(response: RawResponse, status: number): void {
    expect(response.status, response.body).toBe(status);
    expect(response.headers).toMatchObject(SECURITY_HEADERS);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.body)).toMatchObject({ type: 'about:blank', status });
    expect(response.body).not.toMatch(/FST_|HPE_|Client Error/);
  }

  const request = (line: string, headers = 'Host: localhost\r\n') =>
    rawRequest(port, `${line}\r\n${headers}Connection: close\r\n\r\n`);

  it.each([
    ['FOO /health HTTP/1.1', ['GET', 'HEAD']],
    ['BREW /api/v1/auth/me HTTP/1.1', ['GET', 'HEAD']],
    ['X-CUSTOM /api/v1/auth/login HTTP/1.1', ['POST']],
  ])('answers the unknown method of "%s" with 405 and Allow', async (line, allowed) => {
    const response = await request(line);
    expectRawProblem(response, 405);
    expect(response.headers.allow?.split(/,\s*/).sort()).toEqual(allowed);
    if (line.includes('/api/')) expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers an unknown method on an unknown path with 404', async () => {
    expectRawProblem(await request('FOO /no-such-path HTTP/1.1'), 404);
  });

  it('answers headers over the size limit with 431', async () => {
    const huge = `X-Filler: ${'a'.repeat(20_000)}\r\n`;
    expectRawProblem(await request('GET /health HTTP/1.1', `Host: localhost\r\n${huge}`), 431);
  });

  it('answers a malformed request with 400', async () => {
    expectRawProblem(await request('GET /health HTTP/9.9'), 400);
  });

  it('answers an HTTP/1.1 request without Host with 400', async () => {
    expectRawProblem(await request('GET /api/v1/auth/me HTTP/1.1', ''), 400);
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

describe('CORS without CORS_ORIGINS', () => {
  let closed: TestApp;
  beforeAll(async () => {
    closed = await createTestApp();
  });
  afterAll(() => closed.close());

  const corsHeaders = (headers: Record<string, unknown>) =>
    Object.keys(headers).filter((name) => name.startsWith('access-control-'));

  it('does no CORS work at all', () => {
    expect(closed.app.hasPlugin('@fastify/cors')).toBe(false);
  });

  it('gives no CORS headers, and a preflight the 405 of any unknown method', async () => {
    const simple = await closed.app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: ALLOWED_ORIGIN },
    });
    expect(simple.statusCode).toBe(200);
    expect(corsHeaders(simple.headers)).toEqual([]);

    const preflight = await closed.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/notes',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(405);
    expect(preflight.headers.allow).toBe('GET, HEAD, POST');
    expect(corsHeaders(preflight.headers)).toEqual([]);
    expect(preflight.headers).toMatchObject(SECURITY_HEADERS);
  });
});
