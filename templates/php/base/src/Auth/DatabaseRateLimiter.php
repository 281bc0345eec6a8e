<?php

declare(strict_types=1);

namespace App\Auth;

use App\Database\Database;

/**
 * The counters in the database table `rate_limits`, used when REDIS_URL is not set: shared by
 * every php-fpm worker, and by every instance on the same PostgreSQL database. A unit is taken
 * in one atomic statement (an upsert that returns the new count).
 */
final class DatabaseRateLimiter implements RateLimiter
{
    public function __construct(private readonly Database $db)
    {
    }

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

    public function giveBack(string $key): void
    {
        $this->db->run('UPDATE rate_limits SET hits = hits - 1 WHERE key = ? AND hits > 0', [$key]);
    }

    /** Drops the counters whose window has ended (run now and then, so the table stays small). */
    public function forgetExpired(?int $now = null): void
    {
        $this->db->run('DELETE FROM rate_limits WHERE window_end <= ?', [$now ?? time()]);
    }
}
