<?php

declare(strict_types=1);

namespace App\Validation;

/**
 * One field of a JSON request body and the rule its value follows. Values keep their JSON
 * types: "5" is not 5, 1 is not true. Lengths count Unicode code points.
 */
final class Field
{
    /** Integers every JSON client represents exactly: ±(2^53 − 1). */
    public const INTEGER_LIMIT = 9007199254740991;

    private function __construct(
        public readonly string $name,
        public readonly string $type,
        public readonly bool $required,
        public readonly ?int $max = null,
        public readonly int $min = 0,
    ) {
    }

    /** A string of `$min`..`$max` code points (at least 1 by default). */
    public static function string(string $name, int $max, bool $required = true, int $min = 1): self
    {
        return new self($name, 'string', $required, $max, $min);
    }

    /** A string of 0..`$max` code points. */
    public static function text(string $name, int $max, bool $required = true): self
    {
        return new self($name, 'text', $required, $max);
    }

    public static function integer(string $name, bool $required = true): self
    {
        return new self($name, 'integer', $required);
    }

    public static function number(string $name, bool $required = true): self
    {
        return new self($name, 'number', $required);
    }

    public static function boolean(string $name, bool $required = true): self
    {
        return new self($name, 'boolean', $required);
    }

    /** A calendar date, `YYYY-MM-DD`. */
    public static function date(string $name, bool $required = true): self
    {
        return new self($name, 'date', $required);
    }

    /** An RFC 3339 date-time with an offset; stored and answered in UTC with milliseconds. */
    public static function datetime(string $name, bool $required = true): self
    {
        return new self($name, 'datetime', $required);
    }

    /**
     * The value to store for a (non-null) JSON value, or the message saying what is wrong.
     *
     * @return array{0: mixed, 1: ?string}
     */
    public function check(mixed $value): array
    {
        return match ($this->type) {
            'string', 'text' => $this->checkString($value),
            'integer' => $this->checkInteger($value),
            'number' => is_int($value) || (is_float($value) && is_finite($value))
                ? [$value, null]
                : [null, 'must be a finite number'],
            'boolean' => is_bool($value) ? [$value, null] : [null, 'must be true or false'],
            'date' => $this->checkDate($value),
            'datetime' => $this->checkDatetime($value),
            default => throw new \LogicException("unknown field type {$this->type}"),
        };
    }

    /** @return array{0: mixed, 1: ?string} */
    private function checkString(mixed $value): array
    {
        if (!is_string($value)) {
            return [null, 'must be a string'];
        }
        // PostgreSQL cannot store NUL in text; lone surrogates arrive here as NUL too (see Json).
        if (str_contains($value, "\0")) {
            return [null, 'must not contain NUL characters or lone surrogates'];
        }
        $length = mb_strlen($value, 'UTF-8');
        if ($length < $this->min) {
            return [null, $this->min === 1 ? 'must not be empty' : "must be at least {$this->min} characters long"];
        }
        if ($this->max !== null && $length > $this->max) {
            return [null, "must be at most {$this->max} characters long"];
        }
        return [$value, null];
    }

    /** @return array{0: mixed, 1: ?string} */
    private function checkInteger(mixed $value): array
    {
        // JSON has one number type: 3.0 is accepted as 3 (JavaScript cannot tell them apart).
        if (is_float($value) && is_finite($value) && floor($value) === $value && abs($value) <= self::INTEGER_LIMIT) {
            $value = (int) $value;
        }
        if (!is_int($value)) {
            return [null, 'must be an integer'];
        }
        if (abs($value) > self::INTEGER_LIMIT) {
            return [null, 'must be between -' . self::INTEGER_LIMIT . ' and ' . self::INTEGER_LIMIT];
        }
        return [$value, null];
    }

    /** @return array{0: mixed, 1: ?string} */
    private function checkDate(mixed $value): array
    {
        if (
            !is_string($value)
            || preg_match('/^(\d{4})-(\d{2})-(\d{2})$/D', $value, $m) !== 1
            || !checkdate((int) $m[2], (int) $m[3], (int) $m[1])
        ) {
            return [null, 'must be a calendar date like 2024-02-29'];
        }
        return [$value, null];
    }

    /** @return array{0: mixed, 1: ?string} */
    private function checkDatetime(mixed $value): array
    {
        $utc = is_string($value) ? self::utcDatetime($value) : null;
        return $utc === null
            ? [null, 'must be an RFC 3339 date-time with an offset, like 2026-01-02T03:04:05Z']
            : [$utc, null];
    }

    /** `$value` in UTC as `YYYY-MM-DDTHH:MM:SS.sssZ` (truncated to the millisecond), or null. */
    public static function utcDatetime(string $value): ?string
    {
        $pattern = '/^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-](\d{2}):(\d{2}))$/D';
        if (preg_match($pattern, $value, $m) !== 1 || !checkdate((int) $m[2], (int) $m[3], (int) $m[1])) {
            return null;
        }
        if ((int) $m[4] > 23 || (int) $m[5] > 59 || (int) $m[6] > 59) {
            return null;
        }
        $offset = strtoupper($m[8]) === 'Z' ? '+00:00' : $m[8];
        if (strtoupper($m[8]) !== 'Z' && ((int) $m[9] > 23 || (int) $m[10] > 59)) {
            return null;
        }
        $millis = substr(str_pad($m[7], 3, '0'), 0, 3);
        $local = \DateTimeImmutable::createFromFormat(
            '!Y-m-d H:i:s.v P',
            "{$m[1]}-{$m[2]}-{$m[3]} {$m[4]}:{$m[5]}:{$m[6]}.$millis $offset",
        );
        if ($local === false) {
            return null;
        }
        return $local->setTimezone(new \DateTimeZone('UTC'))->format('Y-m-d\TH:i:s.v\Z');
    }
}
