<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Auth\LoginThrottle;
use App\Database\Database;
use App\Tests\Support\ApiTestCase;

final class ThrottleTest extends ApiTestCase
{
    private const LOGIN = '/api/v1/auth/login';

    private function attempt(string $email, string $password, string $ip = '127.0.0.1', ?\Slim\App $app = null): int
    {
        return $this->post(self::LOGIN, ['email' => $email, 'password' => $password], ip: $ip, app: $app)->status;
    }

    private function failFiveTimes(string $email, string $ip = '127.0.0.1'): void
    {
        for ($i = 1; $i <= LoginThrottle::ATTEMPTS; $i++) {
            $this->assertSame(401, $this->attempt($email, 'wrong password', $ip), "failure $i");
        }
    }

    public function testTheSixthFailureInAMinuteIsThrottled(): void
    {
        $account = $this->account();
        $this->failFiveTimes($account['email']);
        $response = $this->call('POST', self::LOGIN, ['email' => $account['email'], 'password' => 'wrong password']);
        $this->assertProblem($response, 429);
        $retryAfter = (int) $response->header('Retry-After');
        $this->assertGreaterThanOrEqual(1, $retryAfter);
        $this->assertLessThanOrEqual(60, $retryAfter);
    }

    public function testEvenTheRightPasswordWaitsOutTheWindow(): void
    {
        $account = $this->account();
        $this->failFiveTimes($account['email']);
        $this->assertSame(429, $this->attempt($account['email'], self::PASSWORD));
        $this->assertSame(429, $this->attempt(strtoupper($account['email']), self::PASSWORD));
    }

    public function testTheCountIsPerIpAndEmail(): void
    {
        $account = $this->account();
        $other = $this->account('other');
        $this->failFiveTimes($account['email']);
        $this->assertSame(200, $this->attempt($other['email'], self::PASSWORD));
        $this->assertSame(200, $this->attempt($account['email'], self::PASSWORD, '192.0.2.7'));
    }

    public function testASuccessDoesNotResetTheCount(): void
    {
        $account = $this->account();
        for ($i = 0; $i < 4; $i++) {
            $this->assertSame(401, $this->attempt($account['email'], 'wrong password'));
        }
        $this->assertSame(200, $this->attempt($account['email'], self::PASSWORD));
        $this->assertSame(401, $this->attempt($account['email'], 'wrong password'));
        $this->assertSame(429, $this->attempt($account['email'], self::PASSWORD));
    }

    public function testUnknownEmailsAreThrottledToo(): void
    {
        $this->failFiveTimes('nobody@example.com');
        $this->assertSame(429, $this->attempt('nobody@example.com', 'wrong password'));
    }

    public function testInvalidRequestsAreNotCounted(): void
    {
        $account = $this->account();
        for ($i = 0; $i < 10; $i++) {
            $this->assertSame(422, $this->call('POST', self::LOGIN, ['email' => $account['email']])->status);
        }
        $this->assertSame(200, $this->attempt($account['email'], self::PASSWORD));
    }

    public function testTheCountIsSharedByEveryProcess(): void
    {
        // Two applications on one database stand for two php-fpm workers (or two instances).
        $account = $this->account();
        $second = $this->makeApp($this->settings);
        for ($i = 1; $i <= LoginThrottle::ATTEMPTS; $i++) {
            $app = $i % 2 === 0 ? $second : null;
            $this->assertSame(401, $this->attempt($account['email'], 'wrong password', app: $app));
        }
        $this->assertSame(429, $this->attempt($account['email'], self::PASSWORD, app: $second));
    }

    public function testTheWindowEnds(): void
    {
        $throttle = new LoginThrottle(Database::fromUrl($this->settings->databaseUrl, AppFactory::PROJECT_ROOT));
        $start = 1_700_000_000;
        for ($i = 0; $i < LoginThrottle::ATTEMPTS; $i++) {
            $this->assertNull($throttle->attempt('198.51.100.1', 'a@example.com', $start + $i));
        }
        $retryAfter = $throttle->attempt('198.51.100.1', 'a@example.com', $start + 10);
        $this->assertSame(LoginThrottle::WINDOW_SECONDS - 10, $retryAfter);
        $this->assertNull($throttle->attempt('198.51.100.1', 'a@example.com', $start + LoginThrottle::WINDOW_SECONDS));
    }
}
