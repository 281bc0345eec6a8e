import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

import { argon2id, hash, verify } from 'argon2';

import { projectRoot } from '../paths.js';

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

/**
 * Hashes computed at once: one per core, at most 4 (libuv's thread pool, which file and DNS
 * work share). Each holds 19 MiB, so a burst of logins queues here instead of growing memory.
 */
export const MAX_CONCURRENT_HASHES = Math.min(4, availableParallelism());

export class PasswordHasher {
  readonly #slots: Semaphore;
  #dummyHash: Promise<string> | undefined;

  constructor(concurrency = MAX_CONCURRENT_HASHES) {
    this.#slots = new Semaphore(concurrency);
  }

  /** Hashes being computed now, and waiting for a slot. */
  get load(): { running: number; waiting: number } {
    return this.#slots.load;
  }

  hash(password: string): Promise<string> {
    return this.#slots.run(() => hash(password, ARGON2_OPTIONS));
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return this.#slots.run(() => verify(passwordHash, password));
  }

  /**
   * Spends the time of a real verification and fails: used for unknown emails, so response times
   * do not reveal which accounts exist.
   */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.#dummy(), password);
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

/** Runs at most `size` tasks at once; the others wait their turn, first come, first served. */
class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  readonly #size: number;

  constructor(size: number) {
    this.#size = Math.max(1, size);
    this.#free = this.#size;
  }

  get load(): { running: number; waiting: number } {
    return { running: this.#size - this.#free, waiting: this.#waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, or becomes free.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

export const COMMON_PASSWORDS_FILE = join(projectRoot, 'security', 'common-passwords.txt');

/**
 * Refuses new passwords that are among the first an attacker tries: those listed in
 * `security/common-passwords.txt` (one per line, `#` starts a comment) and the account's own
 * email, both compared case-insensitively.
 */
export class PasswordPolicy {
  readonly #common: ReadonlySet<string>;

  constructor(common: Iterable<string>) {
    this.#common = new Set([...common].map((password) => password.toLowerCase()));
  }

  /** Reads the list once, at start-up: a missing file stops the app rather than weakening it. */
  static fromFile(file = COMMON_PASSWORDS_FILE): PasswordPolicy {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    return new PasswordPolicy(
      lines.map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#')),
    );
  }

  /** Why `password` may not be used for the account `email`, or `undefined` when it may. */
  problem(password: string, email: string): string | undefined {
    const lower = password.toLowerCase();
    if (this.#common.has(lower)) return 'is too common';
    if (lower === email.toLowerCase()) return 'may not be the email';
    return undefined;
  }
}
