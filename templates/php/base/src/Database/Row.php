<?php

declare(strict_types=1);

namespace App\Database;

/**
 * Column values as the API answers them, whichever database they came from: SQLite stores
 * booleans as 0/1 and times as text, PostgreSQL has native types. Null stays null.
 */
final class Row
{
    /**
     * A UTC time as SQLite holds it ("2026-01-02T03:04:05.500Z", written by now()) or as
     * PostgreSQL answers it in a UTC session ("2026-01-02 03:04:05.5+00"): date, time, fraction.
     */
    private const UTC_TIME = '/^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}:[0-9]{2})'
        . '(?:\.([0-9]{1,6}))?(?:Z|\+00)$/D';

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
        $text = (string) $value;
        // The usual case, rewritten without parsing: a list of 100 rows has 200 of them. The
        // fraction is cut to milliseconds, as format('v') does.
        if (preg_match(self::UTC_TIME, $text, $parts) === 1) {
            return $parts[1] . 'T' . $parts[2] . '.' . str_pad(substr($parts[3] ?? '', 0, 3), 3, '0') . 'Z';
        }
        // Anything else (another offset) goes through DateTime.
        return (new \DateTimeImmutable($text))
            ->setTimezone(new \DateTimeZone('UTC'))
            ->format('Y-m-d\TH:i:s.v\Z');
    }

    /** The current time, as stored in `created_at` / `updated_at`. */
    public static function now(): string
    {
        return (new \DateTimeImmutable('now', new \DateTimeZone('UTC')))->format('Y-m-d\TH:i:s.v\Z');
    }
}
