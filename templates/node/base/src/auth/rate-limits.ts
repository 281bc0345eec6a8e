import type { FastifyBaseLogger } from 'fastify';

import { LIMITS, RATE_LIMIT_KEY_PREFIX, type Config } from '../config.js';
import {
  closeRateLimitStore,
  connectRateLimitStore,
  openRateLimitStore,
  RedisRateLimiter,
} from './redis-throttle.js';
import { MemoryRateLimiter, type RateLimiter } from './throttle.js';

export type LimitName = keyof typeof LIMITS;

/** The abuse limits and the store that keeps them, opened and closed with the app. */
export interface RateLimits {
  limiters: Record<LimitName, RateLimiter>;
  /** The start-up log line: which store, and whether other instances see the same counts. */
  description: string;
  open(): Promise<void>;
  close(): Promise<void>;
}

/** In Redis when REDIS_URL is set, so every instance counts together; else in this process. */
export function createRateLimits(config: Config, log: FastifyBaseLogger): RateLimits {
  const names = Object.keys(config.limits) as LimitName[];
  const { redisUrl } = config;
  if (redisUrl === undefined) {
    return {
      limiters: build(names, (name) => new MemoryRateLimiter(config.limits[name])),
      description: 'rate limits: memory (this instance only; set REDIS_URL to share them)',
      open: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }
  const client = connectRateLimitStore(redisUrl, log);
  return {
    limiters: build(
      names,
      (name) =>
        new RedisRateLimiter({
          ...config.limits[name],
          client,
          prefix: `${RATE_LIMIT_KEY_PREFIX}${name}:`,
        }),
    ),
    description: 'rate limits: redis (shared by every instance)',
    open: () => openRateLimitStore(client),
    close: () => closeRateLimitStore(client),
  };
}

function build(
  names: readonly LimitName[],
  create: (name: LimitName) => RateLimiter,
): Record<LimitName, RateLimiter> {
  return Object.fromEntries(names.map((name) => [name, create(name)])) as Record<
    LimitName,
    RateLimiter
  >;
}
