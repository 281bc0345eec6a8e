<?php

declare(strict_types=1);

namespace App\Http;

use App\Validation\FieldError;
use Psr\Http\Message\ResponseInterface;

/** Writes `application/problem+json` responses (RFC 9457). */
final class ProblemResponse
{
    private const TITLES = [
        400 => 'Bad Request',
        401 => 'Unauthorized',
        403 => 'Forbidden',
        404 => 'Not Found',
        405 => 'Method Not Allowed',
        409 => 'Conflict',
        413 => 'Content Too Large',
        415 => 'Unsupported Media Type',
        422 => 'Unprocessable Content',
        429 => 'Too Many Requests',
        500 => 'Internal Server Error',
        503 => 'Service Unavailable',
    ];

    public static function title(int $status): string
    {
        return self::TITLES[$status] ?? ($status >= 500 ? 'Server Error' : 'Client Error');
    }

    /**
     * @param list<FieldError> $errors
     * @param array<string, string> $headers
     */
    public static function write(
        ResponseInterface $response,
        int $status,
        ?string $detail = null,
        array $errors = [],
        array $headers = [],
    ): ResponseInterface {
        $body = ['type' => 'about:blank', 'title' => self::title($status), 'status' => $status];
        if ($detail !== null && $detail !== '') {
            $body['detail'] = $detail;
        }
        if ($errors !== []) {
            $body['errors'] = array_map(static fn (FieldError $e): array => $e->toArray(), $errors);
        }
        foreach ($headers as $name => $value) {
            $response = $response->withHeader($name, $value);
        }
        return Json::write($response, $body, $status)->withHeader('Content-Type', 'application/problem+json');
    }

    public static function fromProblem(ResponseInterface $response, Problem $problem): ResponseInterface
    {
        return self::write($response, $problem->status, $problem->detail, $problem->errors, $problem->headers);
    }
}
