export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Bounds memory when many distinct keys fail; the oldest keys are forgotten first. */
  maxKeys?: number;
  now?: () => number;
}

/**
 * Counts failed logins per key (client IP + email) over a sliding window, in this process's
 * memory. That is enough for one instance; several instances behind a load balancer each keep
 * their own counts, so such a deployment should keep them in a shared store (Redis, the database).
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: LoginThrottleOptions) {
    this.#maxFailures = options.maxFailures;
    this.#windowMs = options.windowMs;
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** Whole seconds until `key` may try again (at least 1), or 0 when it is not blocked. */
  retryAfterSeconds(key: string): number {
    const now = this.#now();
    const recent = this.#recent(key, now);
    if (recent.length < this.#maxFailures) return 0;
    // Blocked until enough failures leave the window to fall below the limit.
    const unblocksAt = (recent.at(-this.#maxFailures) ?? now) + this.#windowMs;
    return Math.max(1, Math.ceil((unblocksAt - now) / 1000));
  }

  recordFailure(key: string): void {
    const now = this.#now();
    const recent = this.#recent(key, now);
    recent.push(now);
    // Re-insert so the Map stays ordered by latest failure, oldest first.
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    this.#prune(now);
  }

  #recent(key: string, now: number): number[] {
    const since = now - this.#windowMs;
    return (this.#failures.get(key) ?? []).filter((time) => time > since);
  }

  /** Drops expired keys from the front of the Map, and the oldest ones beyond `maxKeys`. */
  #prune(now: number): void {
    for (const [key, times] of this.#failures) {
      const expired = (times.at(-1) ?? 0) <= now - this.#windowMs;
      if (!expired && this.#failures.size <= this.#maxKeys) break;
      this.#failures.delete(key);
    }
  }
}
