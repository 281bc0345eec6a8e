<?php

declare(strict_types=1);

namespace App\Auth;

/**
 * Password hashing with argon2id. Not final: the tests count password checks with a subclass.
 */
class Passwords
{
    /**
     * Pinned explicitly (OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane) so a PHP upgrade
     * never changes them silently. Raising them later is safe: needsRehash() upgrades stored
     * hashes at the next successful login.
     */
    public const OPTIONS = ['memory_cost' => 19456, 'time_cost' => 2, 'threads' => 1];

    /**
     * Verified against for unknown emails, so that timing does not reveal which accounts exist.
     * It is the hash of a random string nobody knows, made with OPTIONS.
     */
    public const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$VDVaOHlGS0t4L0lVWllKcQ$Pe0/vW'
        . 'bSWoeSnV7nVWJ5eCUiz2RS9h28NUdAplnPUBI';

    public function hash(string $password): string
    {
        return password_hash($password, PASSWORD_ARGON2ID, self::OPTIONS);
    }

    /** Checks `$password`; with no hash (an unknown user) it spends the same time and fails. */
    public function verify(?string $hash, string $password): bool
    {
        $matched = password_verify($password, $hash ?? self::DUMMY_HASH);
        return $matched && $hash !== null;
    }

    public function needsRehash(string $hash): bool
    {
        return password_needs_rehash($hash, PASSWORD_ARGON2ID, self::OPTIONS);
    }
}
