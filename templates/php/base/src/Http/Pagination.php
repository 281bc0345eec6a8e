<?php

declare(strict_types=1);

namespace App\Http;

use App\Validation\FieldError;
use Psr\Http\Message\ServerRequestInterface;

/** `?limit=1..100&offset=0..2147483647` of list routes, and integer ids in paths. */
final class Pagination
{
    public const DEFAULT_LIMIT = 20;
    public const MAX_LIMIT = 100;
    /** The largest offset: a signed 32-bit integer, the same bound in every language and database. */
    public const MAX_OFFSET = 2147483647;
    /** The largest id: 2^53 − 1, the largest integer every JSON client holds exactly. */
    public const MAX_ID = 9007199254740991;
    // Plain decimal digits only ("+5", "1e1" and "10.0" are refused), at most 18 of them, so the
    // cast to int cannot overflow before the bounds are checked.
    private const DIGITS = '/^[0-9]{1,18}$/D';
    private const ID = '/^[1-9][0-9]{0,15}$/D';

    /**
     * The page a list request asks for, or a 422 Problem naming each bad parameter.
     *
     * @return array{0: int, 1: int} limit and offset
     */
    public static function fromQuery(ServerRequestInterface $request): array
    {
        $query = $request->getQueryParams();
        $errors = [];
        $limit = self::integer($query, 'limit', self::DEFAULT_LIMIT, 1, self::MAX_LIMIT, $errors);
        $offset = self::integer($query, 'offset', 0, 0, self::MAX_OFFSET, $errors);
        if ($errors !== []) {
            throw Problem::validation($errors);
        }
        return [$limit, $offset];
    }

    /**
     * The id in a path like /api/v1/notes/{id}: 1..MAX_ID in plain decimal digits. Anything else
     * ("0", "-1", "+5", "1e3", a number past MAX_ID) is a 404, like an id that does not exist:
     * ids reveal nothing, and no query is ever made with them.
     */
    public static function id(mixed $raw, string $notFound): int
    {
        if (!is_string($raw) || preg_match(self::ID, $raw) !== 1 || (int) $raw > self::MAX_ID) {
            throw Problem::notFound($notFound);
        }
        return (int) $raw;
    }

    /**
     * @param array<mixed> $query
     * @param list<FieldError> $errors
     */
    private static function integer(array $query, string $name, int $default, int $min, int $max, array &$errors): int
    {
        if (!array_key_exists($name, $query)) {
            return $default;
        }
        $raw = $query[$name];
        $value = is_string($raw) && preg_match(self::DIGITS, $raw) === 1 ? (int) $raw : null;
        if ($value === null || $value < $min || $value > $max) {
            $errors[] = new FieldError($name, "must be an integer between $min and $max");
            return $default;
        }
        return $value;
    }
}
