import type { RateLimit } from '../config.js';

/**
 * A budget of attempts per key (a client address, an address and email). Both methods may answer
 * at once (in memory) or later (a shared store); a store that cannot answer throws
 * {@link RateLimitUnavailableError}, and the caller refuses the request: a limit is never skipped.
 */
export interface RateLimiter {
  /**
   * Spends one unit of `key`'s budget and returns 0; when the budget is spent, spends nothing and
   * returns the whole seconds (at least 1) until a unit is free again.
   */
  take(key: string): number | Promise<number>;
  /** Returns the unit a `take` spent (a login that succeeded does not count as a failure). */
  giveBack(key: string): void | Promise<void>;
}

/** The shared store behind a {@link RateLimiter} did not answer; the request must be refused. */
export class RateLimitUnavailableError extends Error {
  constructor(options?: ErrorOptions) {
    super('rate limit store unavailable', options);
    this.name = 'RateLimitUnavailableError';
  }
}

export interface MemoryRateLimiterOptions extends RateLimit {
  /** Bounds memory when many distinct keys are used; the least recently used go first. */
  maxKeys?: number;
  now?: () => number;
}

/**
 * At most `limit` units per key over a sliding window of `windowSeconds`, in this process's
 * memory. That is enough for one instance; several instances behind a load balancer each keep
 * their own counts, so such a deployment sets REDIS_URL to share them (`redis-throttle.ts`).
 *
 * `take` checks and spends a unit in one synchronous step: no other request can run in between on
 * Node's event loop, so concurrent callers can never spend more than the budget.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #used = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: MemoryRateLimiterOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowSeconds * 1000;
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  take(key: string): number {
    const now = this.#now();
    const recent = this.#recent(key, now);
    if (recent.length >= this.#limit) {
      // Free again when enough units leave the window to fall below the limit.
      const freeAt = (recent.at(-this.#limit) ?? now) + this.#windowMs;
      return Math.max(1, Math.ceil((freeAt - now) / 1000));
    }
    recent.push(now);
    // Re-insert so the Map stays ordered by latest use, oldest first.
    this.#used.delete(key);
    this.#used.set(key, recent);
    this.#prune(now);
    return 0;
  }

  giveBack(key: string): void {
    this.#used.get(key)?.pop();
  }

  #recent(key: string, now: number): number[] {
    const since = now - this.#windowMs;
    return (this.#used.get(key) ?? []).filter((time) => time > since);
  }

  /** Drops expired keys from the front of the Map, and the oldest ones beyond `maxKeys`. */
  #prune(now: number): void {
    for (const [key, times] of this.#used) {
      const expired = (times.at(-1) ?? 0) <= now - this.#windowMs;
      if (!expired && this.#used.size <= this.#maxKeys) break;
      this.#used.delete(key);
    }
  }
}
