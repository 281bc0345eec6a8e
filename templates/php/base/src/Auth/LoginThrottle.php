<?php

declare(strict_types=1);

namespace App\Auth;

use App\Database\Database;

/**
 * At most ATTEMPTS failed logins per (client IP, email) in a WINDOW_SECONDS window.
 *
 * The counts live in the database (`login_throttle`), not in the process: every php-fpm worker
 * and every instance of the app sees the same counts. An attempt is counted *before* the
 * password is checked, in one atomic statement, so parallel requests cannot slip extra guesses
 * past the limit; a successful login gives its attempt back. A success never resets the count:
 * failures only age out with the window.
 */
final class LoginThrottle
{
    public const ATTEMPTS = 5;
    public const WINDOW_SECONDS = 60;

    public function __construct(private readonly Database $db)
    {
    }

    /**
     * Counts an attempt. Returns null when it may go ahead, or the seconds until the window
     * ends (for Retry-After) when the budget is spent.
     */
    public function attempt(string $client, string $email, ?int $now = null): ?int
    {
        $now ??= time();
        $cutoff = $now - self::WINDOW_SECONDS;
        $row = $this->db->one(
            'INSERT INTO login_throttle (key, failures, window_start) VALUES (:key, 1, :now)
             ON CONFLICT (key) DO UPDATE SET
                 failures = CASE WHEN login_throttle.window_start <= :cutoff THEN 1
                                 ELSE login_throttle.failures + 1 END,
                 window_start = CASE WHEN login_throttle.window_start <= :cutoff2 THEN :now2
                                     ELSE login_throttle.window_start END
             RETURNING failures, window_start',
            // PostgreSQL's prepared statements take each named parameter once.
            [
                'key' => self::key($client, $email),
                'now' => $now,
                'cutoff' => $cutoff,
                'cutoff2' => $cutoff,
                'now2' => $now,
            ],
        );
        $failures = (int) ($row['failures'] ?? 0);
        if ($failures <= self::ATTEMPTS) {
            if (random_int(1, 100) === 1) {
                $this->forgetExpired($now);
            }
            return null;
        }
        return max(1, (int) ($row['window_start'] ?? $now) + self::WINDOW_SECONDS - $now);
    }

    /** Gives back the attempt of a successful login. */
    public function succeeded(string $client, string $email): void
    {
        $this->db->run(
            'UPDATE login_throttle SET failures = failures - 1 WHERE key = ? AND failures > 0',
            [self::key($client, $email)],
        );
    }

    /** Drops rows whose window ended long ago (run now and then, so the table stays small). */
    public function forgetExpired(?int $now = null): void
    {
        $this->db->run('DELETE FROM login_throttle WHERE window_start <= ?', [($now ?? time()) - self::WINDOW_SECONDS]);
    }

    private static function key(string $client, string $email): string
    {
        // Hashed: the table holds no email addresses, and every key has the same length.
        return hash('sha256', $client . "\n" . $email);
    }
}
