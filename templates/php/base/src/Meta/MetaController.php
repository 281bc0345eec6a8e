<?php

declare(strict_types=1);

namespace App\Meta;

use App\Database\Database;
use App\Http\Json;
use App\Http\Problem;
use App\Settings;
use Psr\Http\Message\ResponseInterface as Response;
use Psr\Http\Message\ServerRequestInterface as Request;
use Psr\Log\LoggerInterface;

/** Probes, the API description and its docs page. */
final class MetaController
{
    public function __construct(
        private readonly Database $db,
        private readonly Settings $settings,
        private readonly LoggerInterface $logger,
    ) {
    }

    /** Liveness: the process answers. Never touches the database. */
    public function health(Request $request, Response $response): Response
    {
        return Json::write($response, ['status' => 'ok']);
    }

    /** Readiness: the database answers a query. */
    public function ready(Request $request, Response $response): Response
    {
        try {
            $this->db->one('SELECT 1 AS ok');
        } catch (\PDOException $error) {
            $this->logger->warning('Readiness check failed: {message}', ['message' => $error->getMessage()]);
            throw new Problem(503, 'The database is unavailable.');
        }
        return Json::write($response, ['status' => 'ok']);
    }

    public function openApi(Request $request, Response $response): Response
    {
        if (!$this->settings->openApiEnabled) {
            throw Problem::notFound();
        }
        $response->getBody()->write(self::document());
        return $response->withHeader('Content-Type', 'application/json');
    }

    /** openapi.json as HTML (DocsPage), under the page's own Content-Security-Policy. */
    public function docs(Request $request, Response $response): Response
    {
        // The page shows the document, so it is served exactly when the document is.
        if (!$this->settings->openApiEnabled) {
            throw Problem::notFound();
        }
        $document = json_decode(self::document(), true, flags: JSON_THROW_ON_ERROR);
        $response->getBody()->write((new DocsPage(is_array($document) ? $document : []))->render());
        return $response
            ->withHeader('Content-Type', 'text/html; charset=utf-8')
            // SecurityHeaders keeps a response's own policy: this one allows the page's styles.
            ->withHeader('Content-Security-Policy', DocsPage::contentSecurityPolicy());
    }

    private static function document(): string
    {
        return (string) file_get_contents(dirname(__DIR__, 2) . '/openapi.json');
    }
}
