<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Meta\DocsPage;
use App\Settings;
use App\Tests\Support\ApiTestCase;
use App\Tests\Support\TestResponse;

/** GET /docs: openapi.json rendered as HTML on the server, with no script and its own CSP. */
final class DocsTest extends ApiTestCase
{
    private const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
    private const PAYLOAD = '<script>alert(1)</script>"\'&';
    /** The OpenAPI and JSON Schema keywords the page reads. */
    private const KEYWORDS = [
        'openapi', 'info', 'title', 'version', 'summary', 'description', 'tags', 'name', 'paths', 'parameters',
        'in', 'required', 'schema', 'requestBody', 'content', 'responses', 'headers', 'security', 'components',
        'securitySchemes', 'schemas', 'type', 'scheme', 'bearerFormat', 'operationId', 'properties', 'items',
        'allOf', 'oneOf', 'anyOf', 'const', 'enum', 'format', 'minLength', 'maxLength', 'minimum', 'maximum',
        'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'pattern', 'default', 'examples',
        'readOnly', 'writeOnly', 'additionalProperties',
    ];

    public function testTheDocsPageIsHtmlInDevelopment(): void
    {
        $app = $this->makeApp($this->makeSettings(['appEnv' => 'development']));
        $response = $this->call('GET', '/docs', app: $app);
        $this->assertSame(200, $response->status, $response->text);
        $this->assertSame('text/html; charset=utf-8', $response->header('Content-Type'));
        $this->assertStringStartsWith('<!DOCTYPE html>', $response->text);
    }

    public function testTheDocsPageIsOffInProductionByDefault(): void
    {
        $app = $this->makeApp(Settings::fromEnvironment($this->environment(['APP_ENV' => 'production'])));
        $this->assertProblem($this->call('GET', '/docs', app: $app), 404);
    }

    public function testOpenApiEnabledTurnsTheDocsPageOnInProduction(): void
    {
        $environment = $this->environment(['APP_ENV' => 'production', 'OPENAPI_ENABLED' => 'true']);
        $app = $this->makeApp(Settings::fromEnvironment($environment));
        $this->assertSame(200, $this->call('GET', '/docs', app: $app)->status);
    }

    public function testOpenApiDisabledTurnsTheDocsPageOffInDevelopment(): void
    {
        $app = $this->makeApp($this->makeSettings(['openApiEnabled' => false]));
        $this->assertProblem($this->call('GET', '/docs', app: $app), 404);
    }

    public function testEveryOperationOfTheDocumentIsOnThePage(): void
    {
        $html = $this->page()->text;
        $expected = [];
        foreach ($this->document()['paths'] as $path => $item) {
            foreach (array_intersect(array_keys($item), self::HTTP_METHODS) as $method) {
                $expected[] = strtoupper($method) . ' ' . $path;
                $summary = htmlspecialchars($item[$method]['summary'], ENT_QUOTES | ENT_HTML5);
                $this->assertStringContainsString("<strong>$summary</strong>", $html, "$method $path");
            }
        }
        preg_match_all('~<h3><span class="method \w+">(\w+)</span> <code>([^<]+)</code></h3>~', $html, $m);
        $shown = array_map(
            static fn (string $method, string $path): string => "$method " . html_entity_decode($path),
            $m[1],
            $m[2],
        );
        $this->assertEqualsCanonicalizing($expected, $shown);
    }

    public function testOperationsShowParametersBodiesResponsesAndSecurity(): void
    {
        $html = $this->page()->text;
        $list = $this->section($html, 'operation-listNotes');
        $this->assertStringContainsString('<td><code>limit</code></td><td>query</td>', $list);
        $this->assertStringContainsString('href="#schema-NoteList"', $list);
        $this->assertStringContainsString('Authorization: Bearer JWT', $list);
        $create = $this->section($html, 'operation-createNote');
        $body = '<h4>Request body</h4><p>required</p><p><code>application/json</code>';
        $this->assertStringContainsString($body, $create);
        $this->assertStringContainsString('href="#schema-NoteCreate"', $create);
        foreach (['201', '401', '422'] as $status) {
            $this->assertStringContainsString("<td><code>$status</code></td>", $create);
        }
        $this->assertStringContainsString('None: no credentials needed.', $this->section($html, 'operation-login'));
        // Every schema a link points to is on the page.
        preg_match_all('~href="#(schema-\w+)"~', $html, $links);
        foreach (array_unique($links[1]) as $anchor) {
            $this->assertStringContainsString("id=\"$anchor\"", $html);
        }
    }

    public function testEveryValueOfTheDocumentIsEscaped(): void
    {
        // The payload in every string and every name of the document: none may reach the page as markup.
        $html = (new DocsPage(self::poisoned($this->document())))->render();
        $this->assertStringNotContainsString('<script', $html);
        $this->assertStringContainsString('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;', $html);
        $this->assertStringNotContainsString('"\'&', $html);
    }

    public function testThePageHasNoScriptAndItsCspAllowsNone(): void
    {
        $response = $this->page();
        $csp = $response->header('Content-Security-Policy');
        $this->assertSame(DocsPage::contentSecurityPolicy(), $csp);
        $directives = [];
        foreach (explode(';', $csp) as $directive) {
            $parts = preg_split('/\s+/', trim($directive)) ?: [];
            $directives[$parts[0]] = array_slice($parts, 1);
        }
        // Scripts fall back to default-src: nothing.
        $this->assertSame(["'none'"], $directives['default-src']);
        $this->assertArrayNotHasKey('script-src', $directives);
        $this->assertArrayNotHasKey('script-src-elem', $directives);
        $this->assertSame(["'none'"], $directives['frame-ancestors']);
        $this->assertStringNotContainsString('unsafe', $csp);
        $active = '~<script|\son\w+\s*=|javascript:|<iframe|<object|<embed~i';
        $this->assertDoesNotMatchRegularExpression($active, $response->text);
        // The one style element is the one the policy names by hash; no style attribute, no other file.
        $this->assertSame(1, preg_match_all('~<style>(.*?)</style>~s', $response->text, $styles));
        $hash = base64_encode(hash('sha256', $styles[1][0], true));
        $this->assertSame(["'sha256-$hash'"], $directives['style-src']);
        $this->assertDoesNotMatchRegularExpression('~\sstyle=|\ssrc=|<link~i', $response->text);
        // The rest of the app keeps the deny-all policy.
        foreach (['/openapi.json', '/health', '/no-such-page'] as $path) {
            $this->assertSame(HeadersTest::EXPECTED['Content-Security-Policy'], $this->call('GET', $path)
                ->header('Content-Security-Policy'), $path);
        }
    }

    public function testThePageKeepsTheOtherSecurityHeaders(): void
    {
        $response = $this->page();
        foreach (HeadersTest::EXPECTED as $name => $value) {
            if ($name !== 'Content-Security-Policy') {
                $this->assertSame($value, $response->header($name), $name);
            }
        }
    }

    private function page(): TestResponse
    {
        $response = $this->call('GET', '/docs');
        $this->assertSame(200, $response->status, $response->text);
        return $response;
    }

    /** The HTML of the section with id `$id`. */
    private function section(string $html, string $id): string
    {
        $this->assertSame(1, preg_match('~<section id="' . $id . '">.*?</section>~s', $html, $match), $id);
        return $match[0];
    }

    /** @return array<string, mixed> */
    private function document(): array
    {
        $text = (string) file_get_contents(AppFactory::PROJECT_ROOT . '/openapi.json');
        return json_decode($text, true, flags: JSON_THROW_ON_ERROR);
    }

    /**
     * @param array<string, string> $variables
     * @return array<string, string>
     */
    private function environment(array $variables): array
    {
        return [
            'JWT_SECRET' => bin2hex(random_bytes(32)),
            'DATABASE_URL' => $this->settings->databaseUrl,
            ...$variables,
        ];
    }

    /**
     * `$value` with the payload appended to every string and every key, `$ref`s and HTTP
     * methods excepted (the page must still find its operations and schemas).
     */
    private static function poisoned(mixed $value): mixed
    {
        if (is_string($value)) {
            return $value . self::PAYLOAD;
        }
        if (!is_array($value)) {
            return $value;
        }
        $poisoned = [];
        foreach ($value as $key => $item) {
            $structural = is_int($key) || str_starts_with($key, '$') || in_array($key, self::HTTP_METHODS, true)
                || in_array($key, self::KEYWORDS, true);
            $poisoned[$structural ? $key : $key . self::PAYLOAD] = $key === '$ref' ? $item : self::poisoned($item);
        }
        return $poisoned;
    }
}
