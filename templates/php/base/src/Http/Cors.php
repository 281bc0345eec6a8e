<?php

declare(strict_types=1);

namespace App\Http;

use Psr\Http\Message\ResponseFactoryInterface;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\MiddlewareInterface;
use Psr\Http\Server\RequestHandlerInterface;

/**
 * CORS for an explicit allowlist of origins (CORS_ORIGINS). An allowed `Origin` is echoed, a
 * preflight from it is answered with 204, and any other origin gets no CORS headers at all.
 * Tokens travel in the Authorization header, not in cookies, so credentials are never allowed.
 */
final class Cors implements MiddlewareInterface
{
    private const ALLOWED_METHODS = 'GET, POST, PATCH, DELETE';
    private const ALLOWED_HEADERS = 'Authorization, Content-Type';
    private const EXPOSED_HEADERS = 'Retry-After, Location';
    private const PREFLIGHT_MAX_AGE = '600';

    /** @param list<string> $origins */
    public function __construct(private readonly array $origins, private readonly ResponseFactoryInterface $responses)
    {
    }

    public function process(ServerRequestInterface $request, RequestHandlerInterface $handler): ResponseInterface
    {
        if ($this->origins === []) {
            return $handler->handle($request);
        }
        $origin = $request->getHeaderLine('Origin');
        $allowed = in_array($origin, $this->origins, true);
        if ($allowed && $request->getMethod() === 'OPTIONS' && $request->hasHeader('Access-Control-Request-Method')) {
            $response = $this->responses->createResponse(204)
                ->withHeader('Access-Control-Allow-Methods', self::ALLOWED_METHODS)
                ->withHeader('Access-Control-Allow-Headers', self::ALLOWED_HEADERS)
                ->withHeader('Access-Control-Max-Age', self::PREFLIGHT_MAX_AGE);
        } else {
            $response = $handler->handle($request);
        }
        // Answers differ by Origin, so shared caches must key on it.
        $response = $response->withAddedHeader('Vary', 'Origin');
        if ($allowed) {
            $response = $response
                ->withHeader('Access-Control-Allow-Origin', $origin)
                ->withHeader('Access-Control-Expose-Headers', self::EXPOSED_HEADERS);
        }
        return $response;
    }
}
