<?php

declare(strict_types=1);

namespace App\Auth;

/**
 * Failed logins: at most ATTEMPTS per (client IP, email) in WINDOW_SECONDS, and at most
 * CLIENT_ATTEMPTS per client IP, whatever the emails, in CLIENT_WINDOW_SECONDS.
 *
 * An attempt is counted *before* the password is checked, atomically (see RateLimiter), so
 * parallel requests cannot slip extra guesses past the limit, and a refused attempt costs no
 * password check at all; a successful login gives its attempt back. A success never resets the
 * counts: failures only age out with their window.
 */
final class LoginThrottle
{
    public const ATTEMPTS = 5;
    public const WINDOW_SECONDS = 60;
    public const CLIENT_ATTEMPTS = 30;
    public const CLIENT_WINDOW_SECONDS = 900;

    public function __construct(private readonly RateLimiter $limiter)
    {
    }

    /**
     * Counts an attempt of `$client` (the peer address) on `$email` (lower-cased). Returns null
     * when it may go ahead, or the seconds until it may (for Retry-After) when a budget is spent.
     */
    public function attempt(string $client, string $email, ?int $now = null): ?int
    {
        $account = self::accountKey($client, $email);
        $retryAfter = $this->limiter->take($account, self::ATTEMPTS, self::WINDOW_SECONDS, $now);
        if ($retryAfter !== null) {
            return $retryAfter;
        }
        $retryAfter = $this->limiter->take(
            self::clientKey($client),
            self::CLIENT_ATTEMPTS,
            self::CLIENT_WINDOW_SECONDS,
            $now,
        );
        if ($retryAfter !== null) {
            // Refused without a password check: not a failure of this account.
            $this->limiter->giveBack($account);
        }
        return $retryAfter;
    }

    /** Gives back the attempt of a successful login. */
    public function succeeded(string $client, string $email): void
    {
        $this->limiter->giveBack(self::accountKey($client, $email));
        $this->limiter->giveBack(self::clientKey($client));
    }

    private static function accountKey(string $client, string $email): string
    {
        return RateLimitKey::of('login', $client, $email);
    }

    private static function clientKey(string $client): string
    {
        return RateLimitKey::of('login from', $client);
    }
}
