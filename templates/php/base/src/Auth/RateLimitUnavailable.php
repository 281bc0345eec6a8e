<?php

declare(strict_types=1);

namespace App\Auth;

use App\Http\Problem;

/**
 * The rate-limit store cannot be reached. Login and registration are refused (503) rather than
 * let through uncounted: a limit that fails open is no limit. The detail names no internals.
 */
final class RateLimitUnavailable extends Problem
{
    public const RETRY_AFTER_SECONDS = 5;

    public function __construct()
    {
        parent::__construct(
            503,
            'rate limit store unavailable',
            headers: ['Retry-After' => (string) self::RETRY_AFTER_SECONDS],
        );
    }
}
