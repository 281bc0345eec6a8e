<?php

declare(strict_types=1);

namespace App\Tests\Support;

use App\Auth\Passwords;

/** Passwords that also write a line to `$log` for every password check: "hash" or "dummy". */
final class CountingPasswords extends Passwords
{
    public function __construct(private readonly string $log)
    {
    }

    public function verify(?string $hash, string $password): bool
    {
        // Appended under a lock: checks in parallel processes all land in the file.
        file_put_contents($this->log, ($hash === null ? 'dummy' : 'hash') . "\n", FILE_APPEND | LOCK_EX);
        return parent::verify($hash, $password);
    }

    /** @return list<string> the checks made so far, in order */
    public function checks(): array
    {
        return is_file($this->log) ? file($this->log, FILE_IGNORE_NEW_LINES) ?: [] : [];
    }
}
