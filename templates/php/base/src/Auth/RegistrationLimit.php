<?php

declare(strict_types=1);

namespace App\Auth;

/**
 * At most ATTEMPTS registrations per client IP in WINDOW_SECONDS. Every registration that got
 * past validation counts, successful or not, and is counted before its password is hashed: a
 * flood of sign-ups can neither fill the users table nor keep the CPU busy with argon2id.
 */
final class RegistrationLimit
{
    public const ATTEMPTS = 10;
    public const WINDOW_SECONDS = 3600;

    public function __construct(private readonly RateLimiter $limiter)
    {
    }

    /** Counts a registration; null when it may go ahead, else the seconds to wait (Retry-After). */
    public function attempt(string $client, ?int $now = null): ?int
    {
        return $this->limiter->take(RateLimitKey::of('register', $client), self::ATTEMPTS, self::WINDOW_SECONDS, $now);
    }
}
