import { randomBytes } from 'node:crypto';

import { argon2id, hash, verify } from 'argon2';

/**
 * argon2id with OWASP's minimum parameters: 19 MiB of memory, 2 iterations, 1 lane. Raise them
 * if your servers can afford it: hashes made with older parameters keep verifying.
 */
export const ARGON2_OPTIONS = {
  type: argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export class PasswordHasher {
  #dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return verify(passwordHash, password);
  }

  /**
   * Spends the time of a real verification and fails: used for unknown emails, so response times
   * do not reveal which accounts exist.
   */
  async verifyDummy(password: string): Promise<false> {
    await verify(await this.#dummy(), password);
    return false;
  }

  /** Computes the dummy hash ahead of the first login. */
  async warmUp(): Promise<void> {
    await this.#dummy();
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= this.hash(randomBytes(32).toString('base64url'));
    return this.#dummyHash;
  }
}
