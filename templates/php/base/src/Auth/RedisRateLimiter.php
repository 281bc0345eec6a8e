<?php

declare(strict_types=1);

namespace App\Auth;

use Psr\Log\LoggerInterface;

/**
 * The counters in Redis (REDIS_URL), shared by every instance of the app. Each unit is taken by
 * a Lua script, which Redis runs atomically in one round trip: the count and its expiry are set
 * together, so no key outlives its window and parallel requests cannot read the same count.
 *
 * Redis is reached on first use, so requests that need no limit never wait for it; php-fpm
 * builds the app per request, so a Redis that comes back is simply connected to next time.
 * Short timeouts keep a dead Redis from holding a worker: the request is refused instead.
 */
final class RedisRateLimiter implements RateLimiter
{
    /** Seconds to connect, and to wait for an answer. */
    public const TIMEOUT_SECONDS = 1.0;

    /** Counts a unit; the window starts with the first one (a key without expiry gets one). */
    private const TAKE = <<<'LUA'
        local hits = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
            ttl = tonumber(ARGV[1]) * 1000
            redis.call('PEXPIRE', KEYS[1], ttl)
        end
        return {hits, ttl}
        LUA;

    /** Gives a unit back within the window; DECR keeps the expiry, and nothing goes below 0. */
    private const GIVE_BACK = <<<'LUA'
        if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
            return redis.call('DECR', KEYS[1])
        end
        return 0
        LUA;

    private ?\Redis $redis = null;

    /** @param string $prefix put before every key, so that several apps can share one Redis */
    public function __construct(
        private readonly string $url,
        private readonly string $prefix,
        private readonly LoggerInterface $logger,
    ) {
    }

    public function take(string $key, int $limit, int $windowSeconds, ?int $now = null): ?int
    {
        try {
            $reply = $this->connection()->eval(self::TAKE, [$this->prefix . $key, $windowSeconds], 1);
            if (!is_array($reply) || count($reply) !== 2) {
                throw new \RedisException((string) ($this->redis?->getLastError() ?? 'unexpected reply'));
            }
        } catch (\RedisException $error) {
            $this->logger->error('Rate limit store unavailable: {error}', ['error' => $error->getMessage()]);
            $this->redis = null;
            throw new RateLimitUnavailable();
        }
        [$hits, $ttlMilliseconds] = array_map('intval', $reply);
        return $hits <= $limit ? null : max(1, intdiv($ttlMilliseconds + 999, 1000));
    }

    /**
     * A unit that cannot be given back stays counted: that errs on the safe side, so the
     * request that already succeeded is not failed for it.
     */
    public function giveBack(string $key): void
    {
        try {
            $this->connection()->eval(self::GIVE_BACK, [$this->prefix . $key], 1);
        } catch (\RedisException $error) {
            $this->logger->warning('Rate limit unit not given back: {error}', ['error' => $error->getMessage()]);
            $this->redis = null;
        }
    }

    private function connection(): \Redis
    {
        return $this->redis ??= self::connect($this->url);
    }

    /**
     * Connects to `redis://[[user]:password@]host[:port][/db]` (`rediss://` for TLS).
     *
     * @throws \RedisException
     */
    public static function connect(string $url): \Redis
    {
        $parts = parse_url($url);
        if ($parts === false || !isset($parts['host'])) {
            throw new \RedisException('REDIS_URL is not a redis:// URL');
        }
        $tls = ($parts['scheme'] ?? '') === 'rediss';
        $redis = new \Redis();
        $redis->connect(
            ($tls ? 'tls://' : '') . $parts['host'],
            $parts['port'] ?? 6379,
            self::TIMEOUT_SECONDS,
            null,
            0,
            self::TIMEOUT_SECONDS,
        );
        if (isset($parts['pass'])) {
            $password = rawurldecode($parts['pass']);
            $user = rawurldecode($parts['user'] ?? '');
            if ($redis->auth($user === '' ? $password : [$user, $password]) !== true) {
                throw new \RedisException('authentication failed');
            }
        }
        $database = (int) trim($parts['path'] ?? '', '/');
        if ($database !== 0 && $redis->select($database) !== true) {
            throw new \RedisException("database $database cannot be selected");
        }
        return $redis;
    }
}
