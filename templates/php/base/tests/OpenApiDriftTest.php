<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Settings;
use PHPUnit\Framework\TestCase;

/**
 * openapi.json is written by hand: this holds it to the routes Slim's route collector holds, both
 * ways. A route added without being documented, or a documented operation nobody serves, fails.
 */
final class OpenApiDriftTest extends TestCase
{
    private const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

    /**
     * What the router may serve that openapi.json need not describe: the docs page, which is the
     * document itself as HTML. (Slim answers HEAD through the GET route, and CORS preflights are
     * answered by middleware.) Add a `METHOD /path` here only for a route that is deliberately
     * left out of the document.
     */
    private const UNDOCUMENTED = ['GET /docs'];

    public function testEveryRouteTheAppServesIsDocumented(): void
    {
        $missing = array_values(array_diff($this->servedOperations(), $this->documentedOperations()));
        $this->assertSame([], $missing, 'routes missing from openapi.json: describe them there');
    }

    public function testEveryDocumentedOperationIsServed(): void
    {
        $unserved = array_values(array_diff($this->documentedOperations(), $this->servedOperations()));
        $this->assertSame([], $unserved, 'operations in openapi.json that no route serves');
    }

    /** @return list<string> `METHOD /path` for every operation in openapi.json. */
    private function documentedOperations(): array
    {
        $document = json_decode(
            (string) file_get_contents(AppFactory::PROJECT_ROOT . '/openapi.json'),
            true,
            flags: JSON_THROW_ON_ERROR,
        );
        $operations = [];
        foreach ($document['paths'] as $path => $item) {
            foreach (array_intersect(array_keys($item), self::HTTP_METHODS) as $method) {
                $operations[] = strtoupper($method) . ' ' . $path;
            }
        }
        $this->assertNotEmpty($operations, 'openapi.json documents no operation');
        return $operations;
    }

    /**
     * @return list<string> `METHOD /path` for every route registered, groups' prefixes included,
     *   with a placeholder's regex (`{id:[0-9]+}`) dropped as OpenAPI writes it (`{id}`).
     */
    private function servedOperations(): array
    {
        // Every optional route on: the document must describe the fullest app. Building the app
        // registers the routes without touching the database.
        $settings = new Settings(jwtSecret: bin2hex(random_bytes(32)), appEnv: 'test', openApiEnabled: true);
        $routes = AppFactory::create($settings)->getRouteCollector()->getRoutes();
        $operations = [];
        foreach ($routes as $route) {
            $path = (string) preg_replace('/\{(\w+):[^}]*\}/', '{$1}', $route->getPattern());
            foreach ($route->getMethods() as $method) {
                $operations[] = $method . ' ' . $path;
            }
        }
        $this->assertNotEmpty($operations, 'the app registers no route');
        return array_values(array_diff(array_unique($operations), self::UNDOCUMENTED));
    }
}
