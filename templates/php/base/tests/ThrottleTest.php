<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Auth\DatabaseRateLimiter;
use App\Auth\LoginThrottle;
use App\Auth\RegistrationLimit;
use App\Database\Database;
use App\Tests\Support\ApiTestCase;
use App\Tests\Support\Concurrently;
use App\Tests\Support\CountingPasswords;
use Slim\App;

final class ThrottleTest extends ApiTestCase
{
    private const LOGIN = '/api/v1/auth/login';
    private const REGISTER = '/api/v1/auth/register';

    /** @param App<\Psr\Container\ContainerInterface>|null $app */
    private function attempt(string $email, string $password, string $ip = '127.0.0.1', ?App $app = null): int
    {
        return $this->post(self::LOGIN, ['email' => $email, 'password' => $password], ip: $ip, app: $app)->status;
    }

    private function failFiveTimes(string $email, string $ip = '127.0.0.1'): void
    {
        for ($i = 1; $i <= LoginThrottle::ATTEMPTS; $i++) {
            $this->assertSame(401, $this->attempt($email, 'wrong password', $ip), "failure $i");
        }
    }

    private function limiter(): DatabaseRateLimiter
    {
        return new DatabaseRateLimiter(Database::fromUrl($this->settings->databaseUrl, AppFactory::PROJECT_ROOT));
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

    public function testAThrottledAttemptChecksNoPassword(): void
    {
        $account = $this->account();
        $this->failFiveTimes($account['email']);
        $passwords = new CountingPasswords(tempnam(sys_get_temp_dir(), 'checks-'));
        $app = $this->appWithPasswords($passwords);
        $this->assertSame(429, $this->attempt($account['email'], self::PASSWORD, app: $app));
        $this->assertSame([], $passwords->checks());
    }

    public function testParallelGuessesGetNoMoreChecksThanTheBudget(): void
    {
        // 20 wrong passwords for one account from one address, in 20 processes at once (as
        // php-fpm workers would serve them): the count is taken atomically before each check,
        // so at most 5 passwords are ever checked.
        $account = $this->account();
        $log = tempnam(sys_get_temp_dir(), 'checks-');
        $statuses = Concurrently::run(20, function () use ($account, $log): int {
            $app = $this->appWithPasswords(new CountingPasswords($log));
            return $this->attempt($account['email'], 'wrong password', app: $app);
        });
        sort($statuses);
        $this->assertSame([...array_fill(0, 5, 401), ...array_fill(0, 15, 429)], $statuses);
        $this->assertCount(LoginThrottle::ATTEMPTS, (new CountingPasswords($log))->checks());
        unlink($log);
    }

    public function testForwardedForHeadersDoNotEscapeTheThrottle(): void
    {
        // The limits key on the connection's peer; a header any client can set changes nothing.
        $account = $this->account();
        for ($i = 1; $i <= LoginThrottle::ATTEMPTS + 1; $i++) {
            $headers = [
                'X-Forwarded-For' => "198.51.100.$i",
                'X-Real-IP' => "203.0.113.$i",
                'Forwarded' => "for=192.0.2.$i",
            ];
            $body = ['email' => $account['email'], 'password' => 'wrong password'];
            $response = $this->post(self::LOGIN, $body, $headers);
            $this->assertSame($i <= LoginThrottle::ATTEMPTS ? 401 : 429, $response->status, "attempt $i");
        }
    }

    public function testOneAddressGetsThirtyFailuresWhateverTheEmails(): void
    {
        $throttle = new LoginThrottle($this->limiter());
        $start = 1_700_000_000;
        for ($i = 1; $i <= LoginThrottle::CLIENT_ATTEMPTS; $i++) {
            $this->assertNull($throttle->attempt('198.51.100.1', "user$i@example.com", $start + $i), "failure $i");
        }
        // The next one, for an email this address never tried: refused until the window ends.
        $retryAfter = $throttle->attempt('198.51.100.1', 'fresh@example.com', $start + 100);
        $this->assertSame(LoginThrottle::CLIENT_WINDOW_SECONDS - 99, $retryAfter);
        // Other addresses are not affected, and the address may try again once the window ends.
        $this->assertNull($throttle->attempt('198.51.100.2', 'fresh@example.com', $start + 100));
        $later = $start + 1 + LoginThrottle::CLIENT_WINDOW_SECONDS;
        $this->assertNull($throttle->attempt('198.51.100.1', 'fresh@example.com', $later));
    }

    public function testTheAddressCapAnswers429OverHttp(): void
    {
        // 30 failures from one address, counted as the login route counts them (the HTTP round
        // trip, with a password check each, is tested above for the per-email limit).
        $throttle = new LoginThrottle($this->limiter());
        for ($i = 1; $i <= LoginThrottle::CLIENT_ATTEMPTS; $i++) {
            $this->assertNull($throttle->attempt('192.0.2.50', "guess$i@example.com"), "failure $i");
        }
        $body = ['email' => 'guess0@example.com', 'password' => 'wrong password'];
        $response = $this->post(self::LOGIN, $body, ip: '192.0.2.50');
        $this->assertProblem($response, 429);
        $retryAfter = (int) $response->header('Retry-After');
        $this->assertGreaterThan(LoginThrottle::WINDOW_SECONDS, $retryAfter);
        $this->assertLessThanOrEqual(LoginThrottle::CLIENT_WINDOW_SECONDS, $retryAfter);
        $this->assertSame(401, $this->attempt('guess0@example.com', 'wrong password', '192.0.2.51'));
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
        $throttle = new LoginThrottle($this->limiter());
        $start = 1_700_000_000;
        for ($i = 0; $i < LoginThrottle::ATTEMPTS; $i++) {
            $this->assertNull($throttle->attempt('198.51.100.1', 'a@example.com', $start + $i));
        }
        $retryAfter = $throttle->attempt('198.51.100.1', 'a@example.com', $start + 10);
        $this->assertSame(LoginThrottle::WINDOW_SECONDS - 10, $retryAfter);
        $this->assertNull($throttle->attempt('198.51.100.1', 'a@example.com', $start + LoginThrottle::WINDOW_SECONDS));
    }

    public function testTheEleventhRegistrationInAnHourIsRefused(): void
    {
        for ($i = 1; $i <= RegistrationLimit::ATTEMPTS; $i++) {
            // A duplicate counts too: every registration that passed validation takes a unit.
            $email = $i === 2 ? 'new1@example.com' : "new$i@example.com";
            $status = $this->post(self::REGISTER, ['email' => $email, 'password' => self::PASSWORD])->status;
            $this->assertSame($i === 2 ? 409 : 201, $status, "registration $i");
        }
        $response = $this->post(self::REGISTER, ['email' => 'eleventh@example.com', 'password' => self::PASSWORD]);
        $this->assertProblem($response, 429);
        $retryAfter = (int) $response->header('Retry-After');
        $this->assertGreaterThan(RegistrationLimit::WINDOW_SECONDS - 60, $retryAfter);
        $this->assertLessThanOrEqual(RegistrationLimit::WINDOW_SECONDS, $retryAfter);
        $forwarded = ['X-Forwarded-For' => '198.51.100.99'];
        $body = ['email' => 'forwarded@example.com', 'password' => self::PASSWORD];
        $this->assertProblem($this->post(self::REGISTER, $body, $forwarded), 429);
        // Another address may still register, and nothing was created for the refused ones.
        $body = ['email' => 'eleventh@example.com', 'password' => self::PASSWORD];
        $this->assertSame(201, $this->post(self::REGISTER, $body, ip: '192.0.2.8')->status);
    }

    public function testInvalidRegistrationsAreNotCounted(): void
    {
        for ($i = 0; $i < RegistrationLimit::ATTEMPTS + 5; $i++) {
            $response = $this->post(self::REGISTER, ['email' => 'bad', 'password' => self::PASSWORD]);
            $this->assertInvalid($response, 'email');
        }
        $body = ['email' => 'ok@example.com', 'password' => self::PASSWORD];
        $this->assertSame(201, $this->post(self::REGISTER, $body)->status);
    }
}
