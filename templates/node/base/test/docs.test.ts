import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DOCS_CSP } from '../src/routes/docs.js';
import { createTestApp, expectProblem, type TestApp } from './helpers.js';

describe('the docs page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ APP_ENV: 'development' });
  });
  afterAll(() => t.close());

  it('shows openapi.json with Swagger UI in development', async () => {
    expect(t.config.openapiEnabled).toBe(true);
    const response = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<div id="swagger-ui"></div>');
    // Only the app's own assets: nothing from a CDN.
    const sources = [...response.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources.sort()).toEqual([
      '/docs/swagger-initializer.js',
      '/docs/swagger-ui-bundle.js',
      '/docs/swagger-ui.css',
    ]);
  });

  it('allows the page exactly what it needs, and keeps the other headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('serves Swagger UI from the installed package, under the same policy', async () => {
    const cases = [
      ['/docs/swagger-ui-bundle.js', /^text\/javascript/, 'SwaggerUIBundle'],
      ['/docs/swagger-ui.css', /^text\/css/, '.swagger-ui'],
      ['/docs/swagger-initializer.js', /^text\/javascript/, "url: '/openapi.json'"],
    ] as const;
    for (const [url, type, text] of cases) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(type);
      expect(response.headers['content-security-policy']).toBe(DOCS_CSP);
      expect(response.body).toContain(text);
    }
  });

  it('does not relax the policy anywhere else', async () => {
    for (const url of ['/health', '/openapi.json', '/docs/nothing-here', '/api/v1/auth/me']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.headers['content-security-policy'], url).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
    }
  });

  it('answers 404 problem+json in production', async () => {
    const { config } = loadConfig({
      APP_ENV: 'production',
      LOG_LEVEL: 'silent',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      DATABASE_URL: t.config.databaseUrl,
    });
    const app = await buildApp({ config, db: t.db });
    try {
      for (const url of ['/docs', '/docs/swagger-ui-bundle.js', '/docs/swagger-initializer.js']) {
        const response = await app.inject({ method: 'GET', url });
        expectProblem(response, 404);
        expect(response.headers['content-security-policy']).toBe(
          "default-src 'none'; frame-ancestors 'none'",
        );
      }
    } finally {
      await app.close();
    }
  });
});
