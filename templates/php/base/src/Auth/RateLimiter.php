<?php

declare(strict_types=1);

namespace App\Auth;

/**
 * Fixed-window counters behind the login throttle and the registration limit. A unit is taken
 * atomically: parallel requests (php-fpm workers, instances) cannot all read the same count
 * and slip through together.
 */
interface RateLimiter
{
    /**
     * Takes one unit of `$key`'s budget of `$limit` per `$windowSeconds`. Returns null when it
     * was within the budget, or the seconds until the window ends (for Retry-After) when the
     * budget is spent. A window starts with the first unit taken after the previous one ended.
     * `$now` sets the clock of a store that reads PHP's (tests); Redis keeps its own.
     *
     * @throws RateLimitUnavailable when the store cannot be reached: the caller must refuse
     */
    public function take(string $key, int $limit, int $windowSeconds, ?int $now = null): ?int;

    /** Gives back a unit taken by take() (a login that succeeded was no failure). */
    public function giveBack(string $key): void;
}
