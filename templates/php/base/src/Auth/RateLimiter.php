<?php

declare(strict_types=1);

namespace App\Auth;

use App\Database\Database;

/**
 * Fixed-window counters in the database (`rate_limits`), shared by every php-fpm worker and
 * every instance of the app. A unit is taken in one atomic statement (an upsert that returns
 * the new count), so parallel requests cannot read the same count and all slip through.
 */
final class RateLimiter
{
    public function __construct(private readonly Database $db)
    {
    }

    /**
     * Takes one unit of `$key`'s budget of `$limit` per `$windowSeconds`. Returns null when it
     * was within the budget, or the seconds until the window ends (for Retry-After) when the
     * budget is spent. A window starts with the first unit taken after the previous one ended.
     */
    public function take(string $key, int $limit, int $windowSeconds, ?int $now = null): ?int
    {
        $now ??= time();
        $row = $this->db->one(
            'INSERT INTO rate_limits (key, hits, window_end) VALUES (:key, 1, :end)
             ON CONFLICT (key) DO UPDATE SET
                 hits = CASE WHEN rate_limits.window_end <= :now THEN 1 ELSE rate_limits.hits + 1 END,
                 window_end = CASE WHEN rate_limits.window_end <= :now2 THEN :end2
                                   ELSE rate_limits.window_end END
             RETURNING hits, window_end',
            // PostgreSQL's prepared statements take each named parameter once.
            [
                'key' => $key,
                'end' => $now + $windowSeconds,
                'now' => $now,
                'now2' => $now,
                'end2' => $now + $windowSeconds,
            ],
        );
        if ((int) ($row['hits'] ?? 0) <= $limit) {
            if (random_int(1, 100) === 1) {
                $this->forgetExpired($now);
            }
            return null;
        }
        return max(1, (int) ($row['window_end'] ?? $now) - $now);
    }

    /** Gives back a unit taken by take() (a login that succeeded was no failure). */
    public function giveBack(string $key): void
    {
        $this->db->run('UPDATE rate_limits SET hits = hits - 1 WHERE key = ? AND hits > 0', [$key]);
    }

    /** Drops the counters whose window has ended (run now and then, so the table stays small). */
    public function forgetExpired(?int $now = null): void
    {
        $this->db->run('DELETE FROM rate_limits WHERE window_end <= ?', [$now ?? time()]);
    }

    /** A counter key for `$parts`, hashed: the table holds no addresses, and every key has one length. */
    public static function key(string ...$parts): string
    {
        return hash('sha256', implode("\n", $parts));
    }
}
