import { describe, expect, it } from 'vitest';

import { MAX_CONCURRENT_HASHES, PasswordHasher } from '../src/auth/passwords.js';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id, at least 19 MiB, 2 iterations and 1 lane', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    const match = /^\$argon2id\$v=19\$([^$]+)\$/.exec(hash);
    expect(match, hash).not.toBeNull();
    const params = Object.fromEntries(
      (match?.[1] ?? '').split(',').map((pair) => pair.split('=') as [string, string]),
    );
    expect(Number(params.m)).toBeGreaterThanOrEqual(19_456);
    expect(Number(params.t)).toBeGreaterThanOrEqual(2);
    expect(Number(params.p)).toBe(1);
  });

  it('salts every hash and never stores the password', async () => {
    const [a, b] = await Promise.all([
      hasher.hash('same password!'),
      hasher.hash('same password!'),
    ]);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password!');
  });

  it('verifies the right password only', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'Correct horse battery staple')).toBe(false);
  });

  it('fails the dummy verification used for unknown accounts', async () => {
    expect(await hasher.verifyDummy('any password at all')).toBe(false);
  });

  it('computes at most a few hashes at once, whatever the burst', async () => {
    expect(MAX_CONCURRENT_HASHES).toBeGreaterThanOrEqual(1);
    expect(MAX_CONCURRENT_HASHES).toBeLessThanOrEqual(4);
    const bounded = new PasswordHasher(2);
    const hash = await bounded.hash('correct horse battery staple');
    const burst = Array.from({ length: 6 }, () =>
      bounded.verify(hash, 'correct horse battery staple'),
    );
    // 19 MiB each: 32 simultaneous logins must not mean 32 × 19 MiB.
    expect(bounded.load).toEqual({ running: 2, waiting: 4 });
    expect(await Promise.all(burst)).toEqual(Array(6).fill(true));
    expect(bounded.load).toEqual({ running: 0, waiting: 0 });
  });
});
