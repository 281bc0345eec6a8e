import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app.js';
import type { Database } from '../src/db/index.js';
import { createTestApp, expectProblem, type TestApp } from './helpers.js';

/** Headers Node's server adds to each response itself. */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive']);

function comparable(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_CONNECTION.has(name)));
}

describe('health, readiness and the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ OPENAPI_ENABLED: 'true' });
  });
  afterAll(() => t.close());

  it('reports liveness', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers a probe on the wire as its route does, security and CORS headers included', async () => {
    // The server answers the plain probe before Fastify (src/http/liveness.ts).
    const origin = 'https://app.example.com';
    const live = await createTestApp({ CORS_ORIGINS: origin });
    try {
      await live.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = live.app.server.address() as AddressInfo;
      const probes = [
        { path: '/health', headers: {} },
        { path: '/health?probe=1', headers: {} },
        { path: '/health', headers: { origin } },
      ];
      for (const { path, headers } of probes) {
        const routed = await live.app.inject({ method: 'GET', url: '/health', headers });
        const wire = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
        expect(wire.status).toBe(200);
        expect(await wire.json()).toEqual(routed.json());
        expect(comparable(Object.fromEntries(wire.headers))).toEqual(comparable(routed.headers));
      }
    } finally {
      await live.close();
    }
  });

  it('reports readiness when the database answers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 on /ready when the database does not', async () => {
    const failing: Database = {
      dialect: 'sqlite',
      query: () => Promise.reject(new Error('connection refused by 10.0.0.5')),
      transaction: () => Promise.reject(new Error('unreachable')),
      close: () => Promise.resolve(),
    };
    const app = await buildApp({ config: t.config, db: failing });
    try {
      const response = await app.inject({ method: 'GET', url: '/ready' });
      const body = expectProblem(response, 503);
      expect(response.body).not.toContain('10.0.0.5');
      expect(body.detail).toBeDefined();
    } finally {
      await app.close();
    }
  });

  it('serves the OpenAPI document when enabled', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
  });

  it('answers 404 for the OpenAPI document when disabled', async () => {
    const app = await buildApp({ config: { ...t.config, openapiEnabled: false }, db: t.db });
    try {
      expectProblem(await app.inject({ method: 'GET', url: '/openapi.json' }), 404);
    } finally {
      await app.close();
    }
  });
});
