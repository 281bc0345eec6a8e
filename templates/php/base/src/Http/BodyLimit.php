<?php

declare(strict_types=1);

namespace App\Http;

use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\MiddlewareInterface;
use Psr\Http\Server\RequestHandlerInterface;

/**
 * Refuses request bodies over 1 MiB with 413 before anything reads them. nginx enforces the same
 * limit in front of php-fpm (client_max_body_size); this covers every other way of serving the
 * app (Apache on shared hosting, `php -S`).
 */
final class BodyLimit implements MiddlewareInterface
{
    public const MAX_BYTES = 1024 * 1024;

    public function process(ServerRequestInterface $request, RequestHandlerInterface $handler): ResponseInterface
    {
        $declared = $request->getHeaderLine('Content-Length');
        if (($declared !== '' && (!ctype_digit($declared) || (float) $declared > self::MAX_BYTES))) {
            throw self::tooLarge();
        }
        $body = $request->getBody();
        $size = $body->getSize();
        if ($size === null) {
            // Unknown size (a chunked body): read one byte past the limit, no more.
            $size = strlen($body->read(self::MAX_BYTES + 1));
            $body->rewind();
        }
        if ($size > self::MAX_BYTES) {
            throw self::tooLarge();
        }
        return $handler->handle($request);
    }

    private static function tooLarge(): Problem
    {
        return new Problem(413, 'The request body is larger than 1 MiB.');
    }
}
