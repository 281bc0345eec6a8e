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

    /** @param list<FieldError> $errors */
    public static function validation(array $errors): self
    {
        return new self(422, 'The request is invalid.', $errors);
    }
}
