import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app.js';
import {
  clientAddress,
  createTestApp,
  expectProblem,
  PASSWORD,
  uniqueEmail,
  type TestApp,
} from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// The request pipeline is the same for every JSON route: registration stands in for all of them
// (each resource's own tests check its fields).
const register = (payload: string, contentType = 'application/json') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    remoteAddress: clientAddress(),
    headers: { 'content-type': contentType },
    payload,
  });

/** A registration body with a fresh email, and `extra` appended to the JSON object. */
const body = (extra = '') => `{"email":"${uniqueEmail()}","password":"${PASSWORD}"${extra}}`;

describe('request validation', () => {
  it('accepts a valid body (the cases below differ from it in one way)', async () => {
    expect((await register(body())).statusCode).toBe(201);
  });

  it('rejects an unknown field instead of dropping it', async () => {
    const problem = expectProblem(await register(body(',"owner_id":1')), 422);
    expect(problem.errors).toEqual([{ field: 'owner_id', message: expect.any(String) }]);
  });

  it('rejects a wrong type instead of coercing it', async () => {
    const problem = expectProblem(await register('{"email":123,"password":"x"}'), 422);
    expect(problem.errors).toContainEqual(expect.objectContaining({ field: 'email' }));
  });

  it('rejects a missing required field', async () => {
    const problem = expectProblem(await register(`{"password":"${PASSWORD}"}`), 422);
    expect(problem.errors).toContainEqual(expect.objectContaining({ field: 'email' }));
  });

  it.each(['[]', '"email"', '42', 'null'])(
    'rejects the JSON %s that is not an object',
    async (json) => {
      expect(expectProblem(await register(json), 422).errors?.length).toBeGreaterThan(0);
    },
  );

  it('refuses NUL characters, which PostgreSQL text cannot hold', async () => {
    for (const url of ['/api/v1/auth/register', '/api/v1/auth/login']) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        payload: { email: 'nul@example.com\u0000', password: 'correct horse battery staple' },
      });
      expect(expectProblem(response, 422).errors).toContainEqual(
        expect.objectContaining({ field: 'email' }),
      );
    }
  });

  it('answers 400 for malformed JSON without echoing the parser error', async () => {
    const problem = expectProblem(await register('{"email": "unterminated'), 400);
    expect(JSON.stringify(problem)).not.toMatch(/position|Unexpected|SyntaxError/i);
  });

  it('answers 415 for a body that is not JSON', async () => {
    expectProblem(await register('email=a@example.com', 'application/x-www-form-urlencoded'), 415);
    expectProblem(await register(body(), 'text/plain'), 415);
  });

  it.each(['application/json; charset=utf-8', 'application/json;charset=UTF-8'])(
    'accepts %s',
    async (contentType) => {
      expect((await register(body(), contentType)).statusCode).toBe(201);
    },
  );

  it.each(['utf-7', 'latin-1', 'iso-8859-1', 'utf-16'])(
    'answers 415 for JSON declared in the charset %s',
    async (charset) => {
      expectProblem(await register(body(), `application/json; charset=${charset}`), 415);
    },
  );

  it('lists at most 20 errors, however many fields are wrong', async () => {
    const unknown = Array.from({ length: 40_000 }, (_, i) => `,"k${i}":0`).join('');
    const response = await register(body(unknown));
    expect(expectProblem(response, 422).errors).toHaveLength(20);
    expect(response.body.length).toBeLessThan(4_000);
  });

  it('answers 413 for a body over 1 MiB, and accepts one just under', async () => {
    const padded = (size: number) => {
      const json = '{"email":"big@example.com","password":""}';
      return json.replace('"password":""', `"password":"${' '.repeat(size - json.length)}"`);
    };
    expectProblem(await register(padded(1_048_577)), 413);
    // Within the limit, the 128 character password rule applies instead.
    expectProblem(await register(padded(1_048_576)), 422);
  });
});

describe('unknown routes and methods', () => {
  it('answers 404 problem+json for an unknown path', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/nope' }), 404);
  });

  it.each([
    ['PUT', '/api/v1/auth/me', ['GET', 'HEAD']],
    ['DELETE', '/health', ['GET', 'HEAD']],
    ['GET', '/api/v1/auth/login', ['POST']],
    // Methods Fastify routes nothing with, and QUERY, which it expects to carry a body.
    ['QUERY', '/health', ['GET', 'HEAD']],
    ['QUERY', '/ready', ['GET', 'HEAD']],
    ['QUERY', '/api/v1/auth/me', ['GET', 'HEAD']],
    ['PROPFIND', '/api/v1/auth/me', ['GET', 'HEAD']],
    ['TRACE', '/api/v1/auth/register', ['POST']],
  ])('answers 405 to %s %s with Allow', async (method, url, allowed) => {
    const response = await t.app.inject({ method: method as 'GET', url });
    expectProblem(response, 405);
    const allow = String(response.headers.allow).split(/,\s*/).sort();
    expect(allow).toEqual(allowed);
  });

  it('answers 405 before looking at a body it would not read', async () => {
    for (const contentType of ['text/plain', 'application/json; charset=utf-7']) {
      const response = await t.app.inject({
        method: 'PUT',
        url: '/health',
        headers: { 'content-type': contentType },
        payload: '{not json',
      });
      expectProblem(response, 405);
    }
  });

  it('answers 404 without a redirect for a doubled slash', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api//v1/notes' });
    expectProblem(response, 404);
    expect(response.headers).not.toHaveProperty('location');
  });
});

describe('URLs the router cannot take', () => {
  it.each([
    ['/api/v1/notes/%E0%A4%A', 400],
    ['/%E0%A4%A', 400],
    [`/api/v1/notes/${'1'.repeat(200)}`, 404],
  ])('answers %s with %i problem+json, without echoing it', async (url, status) => {
    const response = await t.app.inject({ method: 'GET', url });
    const problem = expectProblem(response, status);
    expect(response.body).not.toMatch(/FST_|%E0|1111/);
    expect(JSON.stringify(problem)).not.toContain(url);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    if (url.startsWith('/api/')) expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('unhandled errors', () => {
  it('answers a generic 500 that reveals nothing', async () => {
    const app = await buildApp({ config: t.config, db: t.db });
    app.get('/boom', () => {
      throw new Error('secret connection string postgres://admin:hunter2@db');
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/boom' });
      const body = expectProblem(response, 500);
      expect(body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500 });
      expect(response.body).not.toContain('hunter2');
    } finally {
      await app.close();
    }
  });
});
