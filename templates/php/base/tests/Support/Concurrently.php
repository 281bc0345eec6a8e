<?php

declare(strict_types=1);

namespace App\Tests\Support;

/**
 * Real concurrency for the tests: the same work in several forked processes, released at the
 * same moment, against the same database (as php-fpm workers would be). Needs ext-pcntl and
 * ext-posix, which PHP's command line has on Linux and macOS.
 */
final class Concurrently
{
    /**
     * Runs `$work($i)` for `$i` = 0..`$count`−1, each in its own process, and returns what each
     * returned, by `$i`. `$work` must build its own App inside: a database connection does not
     * survive a fork. Its result must be serialisable.
     *
     * @template T
     * @param callable(int): T $work
     * @return list<T>
     */
    public static function run(int $count, callable $work): array
    {
        $dir = sys_get_temp_dir() . '/concurrently-' . bin2hex(random_bytes(6));
        mkdir($dir);
        // Every child waits for this moment, so that they start together rather than in fork order.
        $start = microtime(true) + 0.3 + 0.02 * $count;
        $children = [];
        try {
            for ($i = 0; $i < $count; $i++) {
                $pid = pcntl_fork();
                if ($pid === -1) {
                    throw new \RuntimeException('fork failed');
                }
                if ($pid === 0) {
                    self::child($i, $work, $start, "$dir/$i");
                }
                $children[] = $pid;
            }
        } finally {
            foreach ($children as $pid) {
                pcntl_waitpid($pid, $status);
            }
        }
        $results = [];
        for ($i = 0; $i < $count; $i++) {
            $file = "$dir/$i";
            $outcome = is_file($file) ? unserialize((string) file_get_contents($file)) : ['error' => 'no result'];
            @unlink($file);
            if (!is_array($outcome) || array_key_exists('error', $outcome)) {
                @rmdir($dir);
                throw new \RuntimeException("process $i failed: " . ($outcome['error'] ?? 'unreadable result'));
            }
            $results[] = $outcome['value'];
        }
        rmdir($dir);
        return $results;
    }

    private static function child(int $i, callable $work, float $start, string $file): never
    {
        try {
            usleep((int) max(0, ($start - microtime(true)) * 1_000_000));
            $outcome = ['value' => $work($i)];
        } catch (\Throwable $error) {
            $outcome = ['error' => (string) $error];
        }
        file_put_contents($file, serialize($outcome));
        // Gone at once: no PHPUnit shutdown handler runs in this copy of the test runner, and no
        // destructor closes the database connections it shares with the parent.
        posix_kill(posix_getpid(), SIGKILL);
        exit(1);
    }
}
