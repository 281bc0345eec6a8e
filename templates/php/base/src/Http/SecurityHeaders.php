<?php

declare(strict_types=1);

namespace App\Http;

use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\MiddlewareInterface;
use Psr\Http\Server\RequestHandlerInterface;

/** Security headers on every response, errors included (this is the outermost middleware). */
final class SecurityHeaders implements MiddlewareInterface
{
    public const HEADERS = [
        'X-Content-Type-Options' => 'nosniff',
        // A JSON API never needs to load anything or be framed.
        'Content-Security-Policy' => "default-src 'none'; frame-ancestors 'none'",
        'Referrer-Policy' => 'no-referrer',
        'X-Frame-Options' => 'DENY',
    ];
    public const HSTS = 'max-age=31536000; includeSubDomains';

    public function __construct(private readonly bool $hsts)
    {
    }

    public function process(ServerRequestInterface $request, RequestHandlerInterface $handler): ResponseInterface
    {
        $response = $handler->handle($request);
        foreach (self::HEADERS as $name => $value) {
            // A response with a policy of its own keeps it: only the docs page sets one.
            if ($name === 'Content-Security-Policy' && $response->hasHeader($name)) {
                continue;
            }
            $response = $response->withHeader($name, $value);
        }
        // Decoded as the router decodes it: /%61pi/v1/notes reaches the same routes as /api/v1/notes.
        if (str_starts_with(rawurldecode($request->getUri()->getPath()), '/api/')) {
            // Responses carry user data and tokens: never cache them anywhere.
            $response = $response->withHeader('Cache-Control', 'no-store');
        }
        if ($this->hsts) {
            // Only in production: HSTS on a plain-HTTP development host sticks in browsers.
            $response = $response->withHeader('Strict-Transport-Security', self::HSTS);
        }
        return $response->withoutHeader('X-Powered-By');
    }
}
