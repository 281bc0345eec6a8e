import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LoginThrottle } from '../src/auth/throttle.js';
import { createTestApp, expectProblem, login, register, type TestApp } from './helpers.js';

describe('LoginThrottle', () => {
  function throttle() {
    const clock = { now: 0 };
    return {
      clock,
      throttle: new LoginThrottle({ maxFailures: 5, windowMs: 60_000, now: () => clock.now }),
    };
  }

  it('blocks a key after 5 failures until the window ends', () => {
    const { clock, throttle: limiter } = throttle();
    for (let i = 0; i < 4; i++) {
      limiter.recordFailure('ip a@b.co');
      clock.now += 1_000;
    }
    expect(limiter.retryAfterSeconds('ip a@b.co')).toBe(0);
    limiter.recordFailure('ip a@b.co');
    // First failure at 0 s, now 4 s: blocked until 60 s.
    expect(limiter.retryAfterSeconds('ip a@b.co')).toBe(56);
    clock.now = 59_500;
    expect(limiter.retryAfterSeconds('ip a@b.co')).toBe(1);
    clock.now = 60_000;
    expect(limiter.retryAfterSeconds('ip a@b.co')).toBe(0);
  });

  it('keeps keys apart', () => {
    const { throttle: limiter } = throttle();
    for (let i = 0; i < 5; i++) limiter.recordFailure('ip-1 a@b.co');
    expect(limiter.retryAfterSeconds('ip-1 a@b.co')).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('ip-2 a@b.co')).toBe(0);
    expect(limiter.retryAfterSeconds('ip-1 c@d.co')).toBe(0);
  });

  it('forgets the oldest keys beyond its capacity', () => {
    const clock = { now: 0 };
    const limiter = new LoginThrottle({
      maxFailures: 1,
      windowMs: 60_000,
      maxKeys: 2,
      now: () => clock.now,
    });
    for (const key of ['a', 'b', 'c']) limiter.recordFailure(key);
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    expect(limiter.retryAfterSeconds('b')).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('c')).toBeGreaterThan(0);
  });
});

describe('login throttling over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After after 5 failures, even for the right password', async () => {
    const { email } = await register(t.app);
    for (let i = 0; i < 5; i++) {
      expectProblem(await login(t.app, email, 'wrong password!'), 401);
    }
    const blocked = await login(t.app, email);
    expectProblem(blocked, 429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);

    // Counted per (IP, email): another client address is not blocked.
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '203.0.113.7',
      payload: { email, password: 'correct horse battery staple' },
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('counts failures for unknown emails too', async () => {
    const email = 'nobody-here@example.com';
    for (let i = 0; i < 5; i++) expectProblem(await login(t.app, email), 401);
    expectProblem(await login(t.app, email), 429);
  });
});
