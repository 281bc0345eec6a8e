import { describe, expect, it } from 'vitest';

import { PasswordHasher } from '../src/auth/passwords.js';

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
});
