<?php

declare(strict_types=1);

namespace App\Database;

/**
 * Column values as the API answers them, whichever database they came from: SQLite stores
 * booleans as 0/1 and times as text, PostgreSQL has native types. Null stays null.
 */
final class Row
{
    public static function int(mixed $value): ?int
    {
        return $value === null ? null : (int) $value;
    }

    public static function float(mixed $value): ?float
    {
        return $value === null ? null : (float) $value;
    }

    public static function bool(mixed $value): ?bool
    {
        return $value === null ? null : ($value === true || $value === 1 || $value === '1' || $value === 't');
    }

    public static function string(mixed $value): ?string
    {
        return $value === null ? null : (string) $value;
    }

    /** A stored time as `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC, milliseconds). */
    public static function datetime(mixed $value): ?string
    {
        if ($value === null) {
            return null;
        }
        // PostgreSQL answers "2026-01-02 03:04:05.5+00" (the session is in UTC); SQLite holds the
        // text it was given, already in this format.
        return (new \DateTimeImmutable((string) $value))
            ->setTimezone(new \DateTimeZone('UTC'))
            ->format('Y-m-d\TH:i:s.v\Z');
    }

    /** The current time, as stored in `created_at` / `updated_at`. */
    public static function now(): string
    {
        return (new \DateTimeImmutable('now', new \DateTimeZone('UTC')))->format('Y-m-d\TH:i:s.v\Z');
    }
}
