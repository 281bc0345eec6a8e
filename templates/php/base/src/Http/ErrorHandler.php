<?php

declare(strict_types=1);

namespace App\Http;

use Psr\Http\Message\ResponseFactoryInterface;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Log\LoggerInterface;
use Slim\Exception\HttpException;
use Slim\Exception\HttpMethodNotAllowedException;
use Slim\Exception\HttpNotFoundException;
use Slim\Interfaces\ErrorHandlerInterface;

/**
 * Slim's error handler, replaced: every error becomes problem+json. Slim's own 404 and 405 get
 * short client-facing details (and `Allow` on 405); anything unexpected is logged with its trace
 * and answered with a bare 500 that reveals nothing.
 */
final class ErrorHandler implements ErrorHandlerInterface
{
    public function __construct(
        private readonly ResponseFactoryInterface $responses,
        private readonly LoggerInterface $logger,
    ) {
    }

    public function __invoke(
        ServerRequestInterface $request,
        \Throwable $exception,
        bool $displayErrorDetails,
        bool $logErrors,
        bool $logErrorDetails,
    ): ResponseInterface {
        $response = $this->responses->createResponse();
        if ($exception instanceof Problem) {
            return ProblemResponse::fromProblem($response, $exception);
        }
        if ($exception instanceof HttpMethodNotAllowedException) {
            $allow = implode(', ', $exception->getAllowedMethods());
            $detail = 'The method is not allowed for this resource.';
            return ProblemResponse::write($response, 405, $detail, headers: ['Allow' => $allow]);
        }
        if ($exception instanceof HttpNotFoundException) {
            return ProblemResponse::write($response, 404, 'The requested resource was not found.');
        }
        if ($exception instanceof HttpException && $exception->getCode() >= 400 && $exception->getCode() < 500) {
            return ProblemResponse::write($response, $exception->getCode());
        }
        // The trace goes to the log, never to the client.
        $this->logger->error('Unhandled exception on {method} {path}', [
            'method' => $request->getMethod(),
            'path' => $request->getUri()->getPath(),
            'exception' => $exception,
        ]);
        return ProblemResponse::write($response, 500);
    }
}
