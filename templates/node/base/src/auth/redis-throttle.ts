import { randomUUID } from 'node:crypto';

import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

import type { RateLimit } from '../config.js';
import { RateLimitUnavailableError, type RateLimiter } from './throttle.js';

/** Short enough that a dead Redis answers a login with 503 at once instead of hanging it. */
const TIMEOUT_MS = 1_000;

/**
 * The same sliding window as the in-memory limiter, kept in one sorted set per key (a member per
 * spent unit, scored by the time it was spent), checked and spent in one script: Redis runs a
 * script alone, so instances racing for the last unit cannot both get it. The time is Redis's own,
 * so instances whose clocks disagree still share one window, and the key expires with its newest
 * unit, so nothing is left behind.
 *
 * KEYS[1]: the budget; ARGV: limit, window in milliseconds, a unique member.
 * Returns 0 when a unit was spent, else the milliseconds until one is free again.
 */
const TAKE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], -limit, -limit, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0
`;

interface ThrottleCommands {
  rateLimitTake(key: string, limit: number, windowMs: number, member: string): Promise<number>;
}

/** A Redis client with the rate-limit script loaded (EVALSHA, falling back to EVAL once). */
export type RateLimitClient = Redis & ThrottleCommands;

/**
 * Connects to REDIS_URL for the rate limits. Commands fail at once while Redis is unreachable
 * (no offline queue, one-second timeouts) and the client keeps reconnecting on its own; an outage
 * is logged once when it starts and once when it ends, not at every reconnection attempt.
 */
export function connectRateLimitStore(
  url: string,
  log: Pick<FastifyBaseLogger, 'info' | 'error'>,
): RateLimitClient {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    commandTimeout: TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  }) as RateLimitClient;
  client.defineCommand('rateLimitTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });

  let reachable = true;
  client.on('error', (error: Error) => {
    if (!reachable) return;
    reachable = false;
    // The message only: a stack trace says nothing more about a refused connection.
    log.error({ error: error.message }, 'redis unavailable: logins and registrations answer 503');
  });
  client.on('ready', () => {
    if (reachable) return;
    reachable = true;
    log.info('redis reachable again');
  });
  return client;
}

/** Waits for the first connection, briefly: start-up goes on without Redis, refusing logins. */
export async function openRateLimitStore(client: RateLimitClient): Promise<void> {
  // A failed first attempt is already logged, and the client keeps retrying by itself.
  await client.connect().catch(() => undefined);
}

/** Ends the connection without waiting for a Redis that may not be there. */
export async function closeRateLimitStore(client: RateLimitClient): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => undefined);
  }
  client.disconnect();
}

export interface RedisRateLimiterOptions extends RateLimit {
  client: RateLimitClient;
  /** Put before every key (`<project>:rl:<limit>:`), so several apps and limits share one Redis. */
  prefix: string;
}

/** A {@link RateLimiter} every instance shares, in Redis. Errors become {@link RateLimitUnavailableError}. */
export class RedisRateLimiter implements RateLimiter {
  readonly #client: RateLimitClient;
  readonly #prefix: string;
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(options: RedisRateLimiterOptions) {
    this.#client = options.client;
    this.#prefix = options.prefix;
    this.#limit = options.limit;
    this.#windowMs = options.windowSeconds * 1000;
  }

  async take(key: string): Promise<number> {
    let waitMs: number;
    try {
      waitMs = await this.#client.rateLimitTake(
        this.#prefix + key,
        this.#limit,
        this.#windowMs,
        randomUUID(),
      );
    } catch (error) {
      throw new RateLimitUnavailableError({ cause: error });
    }
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  async giveBack(key: string): Promise<void> {
    try {
      // The newest unit, as in memory: which one goes back does not change the count.
      await this.#client.zpopmax(this.#prefix + key);
    } catch (error) {
      throw new RateLimitUnavailableError({ cause: error });
    }
  }
}
