<?php

declare(strict_types=1);

namespace App\Http;

use App\Validation\FieldError;

/**
 * An error answered as an RFC 9457 problem document. Throw it anywhere below the routes;
 * `detail` must be safe to show to clients.
 */
class Problem extends \RuntimeException
{
    /** The most entries a 422's `errors` lists. */
    public const MAX_ERRORS = 20;

    /**
     * @param list<FieldError> $errors
     * @param array<string, string> $headers
     */
    public function __construct(
        public readonly int $status,
        public readonly ?string $detail = null,
        public readonly array $errors = [],
        public readonly array $headers = [],
    ) {
        parent::__construct($detail ?? ProblemResponse::title($status));
    }

    public static function notFound(string $detail = 'The requested resource was not found.'): self
    {
        return new self(404, $detail);
    }

    public static function unauthorized(string $detail): self
    {
        return new self(401, $detail, headers: ['WWW-Authenticate' => 'Bearer']);
    }

    /**
     * A 422 listing what is wrong, field by field: the first MAX_ERRORS entries, so that a body
     * of 40 000 unknown keys gets a small answer.
     *
     * @param list<FieldError> $errors
     */
    public static function validation(array $errors): self
    {
        return new self(422, 'The request is invalid.', array_slice($errors, 0, self::MAX_ERRORS));
    }
}
