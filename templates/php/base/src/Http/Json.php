<?php

declare(strict_types=1);

namespace App\Http;

use App\Validation\FieldError;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;

/** JSON in and out: response bodies, and strict parsing of request bodies. */
final class Json
{
    private const ENCODE_FLAGS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;
    /** Deeper documents are refused (400) instead of exhausting the parser's stack. */
    private const MAX_DEPTH = 64;

    public static function write(ResponseInterface $response, mixed $data, int $status = 200): ResponseInterface
    {
        $response->getBody()->write(json_encode($data, self::ENCODE_FLAGS));
        return $response->withStatus($status)->withHeader('Content-Type', 'application/json');
    }

    /**
     * The request body as a JSON object, or a Problem: 415 unless the body is
     * `application/json` in UTF-8, 400 when it does not parse, 422 when it is not an object.
     * (BodyLimit answers 413 before this runs.) Values keep their JSON types: nothing is coerced.
     *
     * @return array<string, mixed>
     */
    public static function object(ServerRequestInterface $request): array
    {
        $parts = explode(';', $request->getHeaderLine('Content-Type'));
        if (strtolower(trim($parts[0])) !== 'application/json') {
            throw new Problem(415, 'Send the request body as application/json.');
        }
        // JSON is UTF-8 (RFC 8259): a body declared in another charset would be read as
        // something it is not, so it is refused rather than guessed at.
        foreach (array_slice($parts, 1) as $parameter) {
            [$name, $value] = array_map('trim', explode('=', $parameter, 2)) + [1 => ''];
            if (strtolower($name) === 'charset' && strtolower(trim($value, '"')) !== 'utf-8') {
                throw new Problem(415, 'Send the request body as application/json in UTF-8.');
            }
        }
        $raw = (string) $request->getBody();
        try {
            $data = self::decode($raw);
        } catch (\JsonException $error) {
            if ($error->getCode() !== JSON_ERROR_UTF16) {
                throw new Problem(400, 'The request body is not valid JSON.');
            }
            // A lone surrogate (`"\ud800"`) is valid JSON but no storable text. It becomes NUL,
            // which validation refuses with a 422 naming the field, as it does for "\u0000".
            try {
                $data = self::decode(self::loneSurrogatesToNul($raw));
            } catch (\JsonException) {
                throw new Problem(400, 'The request body is not valid JSON.');
            }
        }
        if (!$data instanceof \stdClass) {
            throw Problem::validation([new FieldError('body', 'must be a JSON object')]);
        }
        $object = [];
        foreach (get_object_vars($data) as $key => $value) {
            $object[(string) $key] = $value;
        }
        return $object;
    }

    private static function decode(string $raw): mixed
    {
        // Objects stay stdClass so that `{}` and `[]` can be told apart.
        return json_decode($raw, false, self::MAX_DEPTH, JSON_THROW_ON_ERROR);
    }

    private static function loneSurrogatesToNul(string $raw): string
    {
        // Escapes are matched left to right, so `\\ud800` (an escaped backslash) is left alone.
        return (string) preg_replace_callback(
            '/\\\\u[dD][89abAB][0-9a-fA-F]{2}\\\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}|\\\\./s',
            static fn (array $m): string => preg_match('/^\\\\u[dD][89a-fA-F]..$/', $m[0]) === 1 ? '\\u0000' : $m[0],
            $raw,
        );
    }
}
