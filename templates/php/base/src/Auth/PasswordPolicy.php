<?php

declare(strict_types=1);

namespace App\Auth;

use App\AppFactory;

/**
 * What registration refuses besides the length rules: a password from the list of common ones
 * in security/common-passwords.txt (compared case-insensitively), and the account's own email.
 */
final class PasswordPolicy
{
    public const COMMON_PASSWORDS = AppFactory::PROJECT_ROOT . '/security/common-passwords.txt';

    /** @var array<array-key, true>|null lower-cased passwords, read on first use */
    private ?array $common = null;

    public function __construct(private readonly string $file = self::COMMON_PASSWORDS)
    {
    }

    /** Why `$password` is unfit for the account `$email` (lower-cased), or null when it is fine. */
    public function problem(string $password, string $email): ?string
    {
        $lowered = mb_strtolower($password, 'UTF-8');
        if ($lowered === $email) {
            return 'must not be the email address';
        }
        if (isset($this->common()[$lowered])) {
            return 'is one of the most common passwords; choose another';
        }
        return null;
    }

    /**
     * The list, read once per request that needs it (PHP keeps nothing between requests; the
     * file is small). A missing file is an error, never an empty list: bin/serve checks it at
     * start-up (bin/check-config.php), so a build without it does not start.
     *
     * @return array<array-key, true> lower-cased passwords as keys (PHP makes numeric ones integers)
     */
    public function common(): array
    {
        if ($this->common !== null) {
            return $this->common;
        }
        $lines = is_readable($this->file) ? file($this->file, FILE_IGNORE_NEW_LINES) : false;
        if ($lines === false) {
            throw new \RuntimeException("cannot read the common-password list {$this->file}");
        }
        $common = [];
        foreach ($lines as $line) {
            $line = trim($line);
            if ($line !== '' && !str_starts_with($line, '#')) {
                $common[mb_strtolower($line, 'UTF-8')] = true;
            }
        }
        return $this->common = $common;
    }
}
