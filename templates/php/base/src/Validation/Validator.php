<?php

declare(strict_types=1);

namespace App\Validation;

use App\Http\Problem;

/**
 * Checks a decoded JSON object against a list of fields. Unknown fields are refused (never
 * silently dropped), and every problem is reported at once, one entry per field.
 */
final class Validator
{
    /** Set by the server, never by a client: named in the 422 as read-only. */
    public const READ_ONLY = ['id', 'owner', 'owner_id', 'created_at', 'updated_at'];

    /**
     * A complete object: every required field present and not null; an omitted optional
     * field is null.
     *
     * @param array<string, mixed> $body
     * @param list<Field> $fields
     * @return array<string, mixed> the values to store, by field name
     */
    public static function create(array $body, array $fields): array
    {
        return self::validate($body, $fields, partial: false);
    }

    /**
     * A partial update: only the fields present are checked and returned.
     *
     * @param array<string, mixed> $body
     * @param list<Field> $fields
     * @return array<string, mixed>
     */
    public static function update(array $body, array $fields): array
    {
        return self::validate($body, $fields, partial: true);
    }

    /**
     * @param array<string, mixed> $body
     * @param list<Field> $fields
     * @return array<string, mixed>
     */
    private static function validate(array $body, array $fields, bool $partial): array
    {
        $errors = [];
        $values = [];
        $known = [];
        foreach ($fields as $field) {
            $known[$field->name] = true;
            if (!array_key_exists($field->name, $body)) {
                if (!$partial && $field->required) {
                    $errors[] = new FieldError($field->name, 'is required');
                } elseif (!$partial) {
                    $values[$field->name] = null;
                }
                continue;
            }
            $value = $body[$field->name];
            if ($value === null) {
                if ($field->required) {
                    $errors[] = new FieldError($field->name, 'must not be null');
                } else {
                    $values[$field->name] = null;
                }
                continue;
            }
            [$checked, $message] = $field->check($value);
            if ($message !== null) {
                $errors[] = new FieldError($field->name, $message);
            } else {
                $values[$field->name] = $checked;
            }
        }
        foreach (array_keys($body) as $name) {
            if (!isset($known[$name])) {
                $errors[] = new FieldError(
                    $name,
                    in_array($name, self::READ_ONLY, true) ? 'is read-only' : 'is not a known field',
                );
            }
        }
        if ($errors !== []) {
            throw Problem::validation($errors);
        }
        return $values;
    }
}
