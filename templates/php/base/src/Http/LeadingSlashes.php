<?php

declare(strict_types=1);

namespace App\Http;

use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\MiddlewareInterface;
use Psr\Http\Server\RequestHandlerInterface;

/**
 * A path that starts with "//" is a 404, as any other path with an empty segment
 * ("/api//v1/notes") is. slim/psr7 drops the extra leading slashes from the URI it builds, so
 * without this "//api/v1/notes" would be served as "/api/v1/notes": one resource at two
 * addresses, one of which a proxy or cache in front may treat differently.
 */
final class LeadingSlashes implements MiddlewareInterface
{
    public function process(ServerRequestInterface $request, RequestHandlerInterface $handler): ResponseInterface
    {
        // The request target as the client sent it (php-fpm, Apache and `php -S` all pass it).
        $target = $request->getServerParams()['REQUEST_URI'] ?? $request->getRequestTarget();
        if (is_string($target) && str_starts_with($target, '//')) {
            throw Problem::notFound();
        }
        return $handler->handle($request);
    }
}
