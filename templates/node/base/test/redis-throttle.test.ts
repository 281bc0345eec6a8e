import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  closeRateLimitStore,
  connectRateLimitStore,
  openRateLimitStore,
  RedisRateLimiter,
  type RateLimitClient,
} from '../src/auth/redis-throttle.js';
import {
  clientAddress,
  createTestApp,
  expectProblem,
  PASSWORD,
  registerWith,
  uniqueEmail,
  type TestApp,
} from './helpers.js';

/** A Redis these tests may write to (keys under a random prefix, each expiring on its own). */
const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
const WITHOUT_REDIS = 'skipped unless TEST_REDIS_URL names a Redis, e.g. redis://127.0.0.1:6379/15';

const quiet = { info: () => undefined, error: () => undefined };

/**
 * A client address no earlier run has used either: counts in Redis outlive a test run (until
 * their window ends), where those in memory start empty each time.
 */
function freshAddress(): string {
  return `2001:db8:${randomUUID().slice(0, 4)}::${randomUUID().slice(0, 4)}`;
}

function login(app: FastifyInstance, email: string, password: string, remoteAddress: string) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    payload: { email, password },
  });
}

/** A loopback port nothing listens on: a Redis that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('with REDIS_URL pointing at a Redis that is down', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}/0` });
  });
  afterAll(() => t.close());

  it('refuses logins with 503 and Retry-After instead of skipping the limit', async () => {
    const response = await login(t.app, uniqueEmail(), PASSWORD, clientAddress());
    const body = expectProblem(response, 503);
    expect(body).toMatchObject({
      title: 'Service Unavailable',
      detail: 'rate limit store unavailable',
    });
    expect(response.headers['retry-after']).toBe('5');
  });

  it('refuses registrations with 503 too', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      remoteAddress: clientAddress(),
      payload: { email: uniqueEmail(), password: PASSWORD },
    });
    expectProblem(response, 503);
    expect(response.headers['retry-after']).toBe('5');
  });

  it('keeps answering the liveness probe', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
  });
});

describe.skipIf(!TEST_REDIS_URL)(`RedisRateLimiter on a real Redis (${WITHOUT_REDIS})`, () => {
  let client: RateLimitClient;
  const prefix = `test-${randomUUID()}:rl:`;
  beforeAll(async () => {
    client = connectRateLimitStore(TEST_REDIS_URL ?? '', quiet);
    await openRateLimitStore(client);
    expect(client.status).toBe('ready');
  });
  afterAll(() => closeRateLimitStore(client));

  const limiter = (limit = 5, windowSeconds = 60) =>
    new RedisRateLimiter({ client, prefix, limit, windowSeconds });

  it('spends at most the budget under concurrency, atomically', async () => {
    const limits = limiter();
    const key = randomUUID();
    const waits = await Promise.all(Array.from({ length: 20 }, () => limits.take(key)));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
    for (const wait of waits.filter((wait) => wait > 0)) {
      expect(wait).toBeGreaterThanOrEqual(59);
      expect(wait).toBeLessThanOrEqual(60);
    }
    expect(await client.zcard(prefix + key)).toBe(5);
  });

  it('shares the counts between instances (two clients, one Redis)', async () => {
    const other = connectRateLimitStore(TEST_REDIS_URL ?? '', quiet);
    await openRateLimitStore(other);
    try {
      const here = limiter();
      const there = new RedisRateLimiter({ client: other, prefix, limit: 5, windowSeconds: 60 });
      const key = randomUUID();
      for (let i = 0; i < 5; i++) expect(await (i % 2 ? here : there).take(key)).toBe(0);
      expect(await here.take(key)).toBeGreaterThan(0);
      expect(await there.take(key)).toBeGreaterThan(0);
    } finally {
      await closeRateLimitStore(other);
    }
  });

  it('keeps its keys under the prefix, expiring with the window', async () => {
    const limits = limiter(5, 60);
    const key = randomUUID();
    await limits.take(key);
    const ttl = await client.pttl(prefix + key);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('frees a unit once the window has passed', async () => {
    const limits = limiter(1, 1);
    const key = randomUUID();
    expect(await limits.take(key)).toBe(0);
    expect(await limits.take(key)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await limits.take(key)).toBe(0);
  });

  it('gives a unit back', async () => {
    const limits = limiter(1);
    const key = randomUUID();
    expect(await limits.take(key)).toBe(0);
    await limits.giveBack(key);
    expect(await limits.take(key)).toBe(0);
    expect(await limits.take(key)).toBeGreaterThan(0);
  });
});

describe.skipIf(!TEST_REDIS_URL)(`two apps sharing one Redis (${WITHOUT_REDIS})`, () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await createTestApp({ REDIS_URL: TEST_REDIS_URL ?? '' });
    second = await createTestApp({ REDIS_URL: TEST_REDIS_URL ?? '' });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('counts failed logins together: the 6th, on either, answers 429', async () => {
    const email = uniqueEmail();
    const created = await registerWith(first.app, { email, password: PASSWORD }, freshAddress());
    expect(created.statusCode, created.body).toBe(201);
    const ip = freshAddress();
    for (let i = 0; i < 5; i++) {
      // Alternating between the two apps, as a load balancer would.
      const app = i % 2 === 0 ? first.app : second.app;
      expectProblem(await login(app, email, 'wrong password!', ip), 401);
    }
    const refused = await login(second.app, email, PASSWORD, ip);
    expectProblem(refused, 429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
