<?php

declare(strict_types=1);

namespace App\Auth;

/** Names the counters of the rate limits. */
final class RateLimitKey
{
    /** A key for `$parts`, hashed: the store holds no addresses, and every key has one length. */
    public static function of(string ...$parts): string
    {
        return hash('sha256', implode("\n", $parts));
    }
}
