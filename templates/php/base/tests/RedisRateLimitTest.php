<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Auth\LoginThrottle;
use App\Auth\Passwords;
use App\Auth\RateLimitKey;
use App\Auth\RedisRateLimiter;
use App\Auth\Users;
use App\Database\Database;
use App\Settings;
use App\Tests\Support\ApiTestCase;
use App\Tests\Support\Concurrently;
use App\Tests\Support\CountingPasswords;
use DI\Container;
use Monolog\Level;
use Monolog\LogRecord;
use Psr\Log\NullLogger;

/**
 * The rate limits in Redis (REDIS_URL). A Redis that cannot be reached is tested always; the
 * counting itself runs against the Redis in TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15:
 * the tests only add keys under this project's prefix, which expire on their own).
 */
final class RedisRateLimitTest extends ApiTestCase
{
    private const LOGIN = '/api/v1/auth/login';
    private const REGISTER = '/api/v1/auth/register';

    public function testLoginAndRegistrationAnswer503WhenRedisIsDown(): void
    {
        $down = 'redis://127.0.0.1:' . self::closedPort() . '/0';
        $app = $this->makeApp($this->makeSettings(['redisUrl' => $down]));
        $passwords = new CountingPasswords(tempnam(sys_get_temp_dir(), 'checks-'));
        $container = $app->getContainer();
        $this->assertInstanceOf(Container::class, $container);
        $container->set(Passwords::class, $passwords);
        $credentials = ['email' => 'down@example.com', 'password' => self::PASSWORD];
        foreach ([self::LOGIN, self::REGISTER] as $path) {
            $started = microtime(true);
            $response = $this->post($path, $credentials, app: $app);
            $this->assertProblem($response, 503);
            $this->assertSame('5', $response->header('Retry-After'), $path);
            $this->assertSame('rate limit store unavailable', $response->json()['detail'], $path);
            $this->assertLessThan(RedisRateLimiter::TIMEOUT_SECONDS * 3, microtime(true) - $started, $path);
        }
        // Refused before anything else: no password checked, no account created.
        $this->assertSame([], $passwords->checks());
        $users = new Users(Database::fromUrl($this->settings->databaseUrl, AppFactory::PROJECT_ROOT));
        $this->assertNull($users->findByEmail('down@example.com'));
        // One line per refused request, with the cause and without a stack trace.
        $errors = array_values(array_filter(
            $this->logs->getRecords(),
            static fn (LogRecord $record): bool => $record->level->isHigherThan(Level::Warning),
        ));
        $this->assertCount(2, $errors);
        foreach ($errors as $record) {
            $this->assertStringStartsWith('Rate limit store unavailable: ', $record->message);
            $this->assertArrayNotHasKey('exception', $record->context);
        }
        // What needs no rate limit keeps answering.
        $this->assertSame(200, $this->call('GET', '/health', app: $app)->status);
    }

    public function testEveryInstanceCountsInRedis(): void
    {
        $settings = $this->makeSettings(['redisUrl' => self::redisUrl()]);
        $instances = [$this->makeApp($settings), $this->makeApp($settings)];
        $ip = self::uniqueIp();
        $body = ['email' => 'shared@example.com', 'password' => 'wrong password'];
        for ($i = 1; $i <= LoginThrottle::ATTEMPTS; $i++) {
            $status = $this->post(self::LOGIN, $body, ip: $ip, app: $instances[$i % 2])->status;
            $this->assertSame(401, $status, "failure $i");
        }
        $response = $this->post(self::LOGIN, $body, ip: $ip, app: $instances[0]);
        $this->assertProblem($response, 429);
        $this->assertGreaterThanOrEqual(1, (int) $response->header('Retry-After'));
        $this->assertLessThanOrEqual(LoginThrottle::WINDOW_SECONDS, (int) $response->header('Retry-After'));
        // Counted under the project's prefix, with the window as expiry; nothing in the database.
        $key = Settings::PROJECT_NAME . ':rl:' . RateLimitKey::of('login', $ip, 'shared@example.com');
        $redis = RedisRateLimiter::connect(self::redisUrl());
        $this->assertSame(LoginThrottle::ATTEMPTS + 1, (int) $redis->get($key));
        $this->assertGreaterThan(0, $redis->ttl($key));
        $this->assertLessThanOrEqual(LoginThrottle::WINDOW_SECONDS, $redis->ttl($key));
        $db = Database::fromUrl($this->settings->databaseUrl, AppFactory::PROJECT_ROOT);
        $this->assertSame(0, (int) $db->one('SELECT COUNT(*) AS n FROM rate_limits')['n']);
    }

    public function testParallelTakesGetNoMoreThanTheBudget(): void
    {
        // 20 processes at once, each with its own connection (as php-fpm workers and instances).
        $key = RateLimitKey::of('parallel', self::uniqueIp());
        $url = self::redisUrl();
        $results = Concurrently::run(20, fn (): ?int => $this->limiter($url)->take($key, 5, 60));
        $this->assertCount(5, array_filter($results, static fn (?int $retry): bool => $retry === null));
        foreach (array_filter($results) as $retryAfter) {
            $this->assertGreaterThanOrEqual(1, $retryAfter);
            $this->assertLessThanOrEqual(60, $retryAfter);
        }
    }

    public function testCountersExpireWithTheirWindow(): void
    {
        $limiter = $this->limiter(self::redisUrl());
        $redis = RedisRateLimiter::connect(self::redisUrl());
        $key = RateLimitKey::of('expiry', self::uniqueIp());
        $stored = Settings::PROJECT_NAME . ':rl:' . $key;
        $this->assertNull($limiter->take($key, 2, 60));
        $this->assertNull($limiter->take($key, 2, 60));
        $this->assertGreaterThan(55_000, $redis->pttl($stored));
        $this->assertSame(60, $limiter->take($key, 2, 60));
        // A unit given back keeps the window's end, and the count never goes below zero.
        $limiter->giveBack($key);
        $limiter->giveBack($key);
        $limiter->giveBack($key);
        $limiter->giveBack($key);
        $this->assertSame(0, (int) $redis->get($stored));
        $this->assertGreaterThan(55_000, $redis->pttl($stored));
        // A one-second window: refused within it, counted afresh after it.
        $short = RateLimitKey::of('short window', self::uniqueIp());
        $this->assertNull($limiter->take($short, 1, 1));
        $this->assertSame(1, $limiter->take($short, 1, 1));
        usleep(1_200_000);
        $this->assertSame(0, $redis->exists(Settings::PROJECT_NAME . ':rl:' . $short));
        $this->assertNull($limiter->take($short, 1, 1));
    }

    private function limiter(string $url): RedisRateLimiter
    {
        return new RedisRateLimiter($url, Settings::PROJECT_NAME . ':rl:', new NullLogger());
    }

    /** The Redis the counting tests use; they are skipped without one. */
    private static function redisUrl(): string
    {
        $url = trim((string) getenv('TEST_REDIS_URL'));
        if ($url === '') {
            self::markTestSkipped('TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/15): no Redis to count in');
        }
        return $url;
    }

    /** An address no other test or run uses, so that counts never carry over. */
    private static function uniqueIp(): string
    {
        return (string) inet_ntop("\x20\x01\x0d\xb8" . random_bytes(12));
    }

    /** A local port nothing listens on. */
    private static function closedPort(): int
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        if ($socket === false) {
            throw new \RuntimeException('no free port');
        }
        $port = (int) substr((string) strrchr((string) stream_socket_get_name($socket, false), ':'), 1);
        fclose($socket);
        return $port;
    }
}
