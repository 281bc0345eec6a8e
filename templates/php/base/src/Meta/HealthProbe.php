<?php

declare(strict_types=1);

namespace App\Meta;

use App\Http\Json;
use Psr\Http\Message\ResponseFactoryInterface;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\RequestHandlerInterface;

/**
 * The liveness probe's answer, `GET /health`, on its own: public/index.php serves it without the
 * container, router and services every other request needs. AppFactory::healthProbe() wraps it
 * in the same outer middleware as the app (security headers, CORS), and the tests check that it
 * answers exactly as the app's own /health route does.
 */
final class HealthProbe implements RequestHandlerInterface
{
    public function __construct(private readonly ResponseFactoryInterface $responses)
    {
    }

    /**
     * Whether a request (its server parameters) is the probe's own: GET /health, nothing more.
     * Any other method, a query, a body or another spelling of the path goes to the app, whose
     * answers to those (405, 413, ...) this does not repeat.
     *
     * @param array<string, mixed> $server
     */
    public static function handles(array $server): bool
    {
        return ($server['REQUEST_METHOD'] ?? null) === 'GET'
            && ($server['REQUEST_URI'] ?? null) === '/health'
            && ($server['CONTENT_LENGTH'] ?? '') === ''
            && !isset($server['HTTP_TRANSFER_ENCODING']);
    }

    public function handle(ServerRequestInterface $request): ResponseInterface
    {
        return Json::write($this->responses->createResponse(), ['status' => 'ok']);
    }
}
