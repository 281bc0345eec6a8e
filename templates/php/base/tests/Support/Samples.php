<?php

declare(strict_types=1);

namespace App\Tests\Support;

use App\Validation\Field;

/**
 * Example values for each field type: what a resource must accept (and how it answers them) and
 * what it must refuse with a 422. The generated resource tests run every field through these.
 */
final class Samples
{
    /**
     * Valid values and the value the API answers for each (decoded: -3.0 is answered as -3, the
     * same JSON number).
     *
     * @return list<array{0: mixed, 1: mixed}>
     */
    public static function valid(Field $field): array
    {
        $max = (int) $field->max;
        return match ($field->type) {
            // Code points, not bytes: an emoji is 4 bytes in UTF-8 and 2 units in UTF-16.
            'string' => [
                ['x', 'x'],
                [str_repeat('😀', $max), str_repeat('😀', $max)],
                ["Grüße, O'Reilly", "Grüße, O'Reilly"],
            ],
            'text' => [['', ''], [str_repeat('é', $max), str_repeat('é', $max)], ["two\nlines", "two\nlines"]],
            'integer' => [
                [42, 42],
                [0, 0],
                [-Field::INTEGER_LIMIT, -Field::INTEGER_LIMIT],
                [Field::INTEGER_LIMIT, Field::INTEGER_LIMIT],
            ],
            'number' => [[1.5, 1.5], [-3, -3], [0.1, 0.1], [1.0e300, 1.0e300]],
            'boolean' => [[true, true], [false, false]],
            'date' => [['2024-02-29', '2024-02-29'], ['1999-12-31', '1999-12-31']],
            'datetime' => [
                ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000Z'],
                ['2026-01-02T03:04:05.5+02:00', '2026-01-02T01:04:05.500Z'],
                ['2026-01-02T03:04:05.123456-01:30', '2026-01-02T04:34:05.123Z'],
            ],
            default => throw new \LogicException("no samples for {$field->type}"),
        };
    }

    /**
     * Values that must be refused (null is handled apart: it is fine for optional fields).
     *
     * @return list<mixed>
     */
    public static function invalid(Field $field): array
    {
        $max = (int) $field->max;
        return match ($field->type) {
            'string' => [
                '', str_repeat('x', $max + 1), str_repeat('😀', $max + 1), "nul\0byte", 5, true, ['x'], ['x' => 'y'],
            ],
            'text' => [str_repeat('x', $max + 1), "nul\0byte", 5, false, ['x']],
            'integer' => [1.5, '5', true, Field::INTEGER_LIMIT + 1, -Field::INTEGER_LIMIT - 1, 1.0e20, [1]],
            'number' => ['1.5', true, false, [1.5], ['n' => 1]],
            'boolean' => [1, 0, 'true', 'false', [true]],
            'date' => ['2023-02-29', '2024-13-01', '2024-1-01', '20240229', '2024-02-29T00:00:00Z', 20240229, true],
            'datetime' => [
                '2026-01-02T03:04:05', '2026-01-02', '2026-01-02 03:04:05', '2026-02-30T03:04:05Z',
                '2026-01-02T24:00:00Z', 5,
            ],
            default => throw new \LogicException("no samples for {$field->type}"),
        };
    }

    /**
     * Raw JSON values that decode to something no field accepts as a number (1e999 is infinity).
     *
     * @return list<string>
     */
    public static function invalidJson(Field $field): array
    {
        return match ($field->type) {
            'integer', 'number' => ['1e999', '-1e999'],
            default => [],
        };
    }

    /**
     * A complete, valid body: the first sample of every required field.
     *
     * @param list<Field> $fields
     * @return array<string, mixed>
     */
    public static function body(array $fields): array
    {
        $body = [];
        foreach ($fields as $field) {
            if ($field->required) {
                $body[$field->name] = self::valid($field)[0][0];
            }
        }
        return $body;
    }
}
