import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { PasswordHasher } from '../src/auth/passwords.js';
import { MemoryRateLimiter } from '../src/auth/throttle.js';
import {
  clientAddress,
  createTestApp,
  expectProblem,
  PASSWORD,
  register,
  registerWith,
  uniqueEmail,
  type TestApp,
} from './helpers.js';

describe('MemoryRateLimiter', () => {
  function limiter(limit = 5) {
    const clock = { now: 0 };
    return {
      clock,
      limiter: new MemoryRateLimiter({ limit, windowSeconds: 60, now: () => clock.now }),
    };
  }

  it('takes units until the budget is spent, then says when one is free again', () => {
    const { clock, limiter: limits } = limiter();
    for (let i = 0; i < 5; i++) {
      expect(limits.take('ip a@b.co')).toBe(0);
      clock.now += 1_000;
    }
    // First unit at 0 s, now 5 s: blocked until 60 s, and a refused take spends nothing.
    expect(limits.take('ip a@b.co')).toBe(55);
    clock.now = 59_500;
    expect(limits.take('ip a@b.co')).toBe(1);
    clock.now = 60_000;
    expect(limits.take('ip a@b.co')).toBe(0);
  });

  it('takes a unit back', () => {
    const { limiter: limits } = limiter(1);
    expect(limits.take('key')).toBe(0);
    limits.giveBack('key');
    expect(limits.take('key')).toBe(0);
    expect(limits.take('key')).toBeGreaterThan(0);
  });

  it('keeps keys apart', () => {
    const { limiter: limits } = limiter();
    for (let i = 0; i < 5; i++) limits.take('ip-1 a@b.co');
    expect(limits.take('ip-1 a@b.co')).toBeGreaterThan(0);
    expect(limits.take('ip-2 a@b.co')).toBe(0);
    expect(limits.take('ip-1 c@d.co')).toBe(0);
  });

  it('forgets the oldest keys beyond its capacity', () => {
    const clock = { now: 0 };
    const limits = new MemoryRateLimiter({
      limit: 1,
      windowSeconds: 60,
      maxKeys: 2,
      now: () => clock.now,
    });
    for (const key of ['a', 'b', 'c']) limits.take(key);
    expect(limits.take('a')).toBe(0);
    expect(limits.take('c')).toBeGreaterThan(0);
  });
});

describe('login and registration limits over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const login = (email: string, password: string, remoteAddress: string, headers = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress,
      headers,
      payload: { email, password },
    });

  function expectRetryAfter(response: Awaited<ReturnType<typeof login>>, max: number): void {
    expectProblem(response, 429);
    const seconds = Number(response.headers['retry-after']);
    expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= max, String(seconds)).toBe(true);
  }

  it('answers 429 with Retry-After after 5 failures, even for the right password', async () => {
    const { email } = await register(t.app);
    const ip = clientAddress();
    for (let i = 0; i < 5; i++) expectProblem(await login(email, 'wrong password!', ip), 401);
    expectRetryAfter(await login(email, PASSWORD, ip), 60);

    // Counted per (client address, email): another address is not blocked.
    expect((await login(email, PASSWORD, clientAddress())).statusCode).toBe(200);
  });

  it('counts failures for unknown emails too', async () => {
    const email = uniqueEmail('nobody');
    const ip = clientAddress();
    for (let i = 0; i < 5; i++) expectProblem(await login(email, PASSWORD, ip), 401);
    expectProblem(await login(email, PASSWORD, ip), 429);
  });

  it('does not count a successful login as a failure', async () => {
    const { email } = await register(t.app);
    const ip = clientAddress();
    for (let i = 0; i < 4; i++) expectProblem(await login(email, 'wrong password!', ip), 401);
    for (let i = 0; i < 3; i++) expect((await login(email, PASSWORD, ip)).statusCode).toBe(200);
  });

  it('verifies at most 5 of 20 concurrent wrong passwords for one address and email', async () => {
    const { email } = await register(t.app);
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');
    const ip = clientAddress();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => login(email, 'wrong password!', ip)),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(15).fill(429)]);
    expect(verify.mock.calls.length).toBeLessThanOrEqual(5);
  });

  it('verifies an unknown email against a dummy hash, as long as a real one', async () => {
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');
    expectProblem(await login(uniqueEmail('nobody'), PASSWORD, clientAddress()), 401);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.calls[0]?.[0]).toMatch(/^\$argon2id\$/);
  });

  it('keys on the client address, not on a client-supplied X-Forwarded-For', async () => {
    const { email } = await register(t.app);
    const ip = clientAddress();
    for (let i = 0; i < 5; i++) {
      const forwarded = { 'x-forwarded-for': `198.51.100.${i + 1}` };
      expectProblem(await login(email, 'wrong password!', ip, forwarded), 401);
    }
    const rotated = await login(email, PASSWORD, ip, { 'x-forwarded-for': '198.51.100.99' });
    expectProblem(rotated, 429);
  });

  it('caps failed logins per client address at 30 in 15 minutes, whatever the emails', async () => {
    const { email } = await register(t.app);
    const ip = clientAddress();
    const failures = await Promise.all(
      Array.from({ length: 30 }, () => login(uniqueEmail('spray'), PASSWORD, ip)),
    );
    for (const failure of failures) expectProblem(failure, 401);
    // A 31st attempt is refused, even with another account's right password.
    expectRetryAfter(await login(email, PASSWORD, ip), 900);
    expect((await login(email, PASSWORD, clientAddress())).statusCode).toBe(200);
  });

  it('allows 10 registrations per client address an hour, counted before hashing', async () => {
    const ip = clientAddress();
    const hash = vi.spyOn(PasswordHasher.prototype, 'hash');
    const accepted = await Promise.all(
      Array.from({ length: 10 }, () =>
        registerWith(t.app, { email: uniqueEmail(), password: PASSWORD }, ip),
      ),
    );
    for (const response of accepted) expect(response.statusCode, response.body).toBe(201);
    hash.mockClear();

    const refused = await registerWith(t.app, { email: uniqueEmail(), password: PASSWORD }, ip);
    expectRetryAfter(refused, 3600);
    expect(hash).not.toHaveBeenCalled();
    const elsewhere = await registerWith(t.app, { email: uniqueEmail(), password: PASSWORD });
    expect(elsewhere.statusCode).toBe(201);
  });
});
