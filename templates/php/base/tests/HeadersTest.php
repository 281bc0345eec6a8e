<?php

declare(strict_types=1);

namespace App\Tests;

use App\Http\SecurityHeaders;
use App\Tests\Support\ApiTestCase;
use App\Tests\Support\TestResponse;

final class HeadersTest extends ApiTestCase
{
    private const ORIGIN = 'https://app.example.test';

    /** Spelled out here, not read from SecurityHeaders: a header dropped there must fail these tests. */
    public const EXPECTED = [
        'X-Content-Type-Options' => 'nosniff',
        'Content-Security-Policy' => "default-src 'none'; frame-ancestors 'none'",
        'Referrer-Policy' => 'no-referrer',
        'X-Frame-Options' => 'DENY',
    ];

    private function assertSecurityHeaders(TestResponse $response): void
    {
        foreach (self::EXPECTED as $name => $value) {
            $this->assertSame($value, $response->header($name), "$name on {$response->status}");
        }
    }

    public function testSecurityHeadersAreOnEveryResponse(): void
    {
        $account = $this->account();
        $responses = [
            $this->call('GET', '/health'),
            $this->call('GET', '/api/v1/auth/me', headers: $account['headers']),
            $this->call('GET', '/no-such-route'),
            $this->call('PUT', '/api/v1/notes', [], $account['headers']),
            $this->call('GET', '/api/v1/auth/me'),
            $this->call('POST', '/api/v1/notes', ['title' => ''], $account['headers']),
            $this->call('POST', '/api/v1/notes', body: '{', headers: $account['headers']),
        ];
        $statuses = array_map(static fn (TestResponse $r): int => $r->status, $responses);
        $this->assertSame([200, 200, 404, 405, 401, 422, 400], $statuses);
        array_map($this->assertSecurityHeaders(...), $responses);
    }

    public function testApiResponsesAreNotCached(): void
    {
        $account = $this->account();
        $this->assertSame('no-store', $this->get('/api/v1/auth/me', $account['headers'])->header('Cache-Control'));
        $this->assertSame('no-store', $this->call('GET', '/api/v1/auth/me')->header('Cache-Control'));
        // The router decodes the path: so does the check.
        $encoded = $this->call('GET', '/%61pi/v1/auth/me', headers: $account['headers']);
        $this->assertSame([200, 'no-store'], [$encoded->status, $encoded->header('Cache-Control')]);
        $this->assertSame('no-store', $this->call('GET', '/%61pi/v1/no-such-route')->header('Cache-Control'));
        $this->assertSame('', $this->call('GET', '/health')->header('Cache-Control'));
    }

    public function testHstsIsSentInProductionOnly(): void
    {
        $this->assertSame('', $this->call('GET', '/health')->header('Strict-Transport-Security'));
        $production = $this->makeApp($this->makeSettings(['appEnv' => 'production']));
        $response = $this->call('GET', '/health', app: $production);
        $this->assertSame(SecurityHeaders::HSTS, $response->header('Strict-Transport-Security'));
    }

    public function testCorsEchoesAnAllowedOrigin(): void
    {
        $app = $this->makeApp($this->makeSettings(['corsOrigins' => [self::ORIGIN]]));
        $response = $this->call('GET', '/health', headers: ['Origin' => self::ORIGIN], app: $app);
        $this->assertSame(self::ORIGIN, $response->header('Access-Control-Allow-Origin'));
        $this->assertSame('Origin', $response->header('Vary'));
        $this->assertSame('', $response->header('Access-Control-Allow-Credentials'));
    }

    public function testAnotherOriginGetsNoCorsHeaders(): void
    {
        $app = $this->makeApp($this->makeSettings(['corsOrigins' => [self::ORIGIN]]));
        $response = $this->call('GET', '/health', headers: ['Origin' => 'https://evil.example'], app: $app);
        $this->assertSame('', $response->header('Access-Control-Allow-Origin'));
        $headers = ['Origin' => 'https://evil.example', 'Access-Control-Request-Method' => 'POST'];
        $preflight = $this->call('OPTIONS', '/api/v1/notes', headers: $headers, app: $app);
        $this->assertSame('', $preflight->header('Access-Control-Allow-Origin'));
        $this->assertSame('', $preflight->header('Access-Control-Allow-Methods'));
    }

    public function testAPreflightFromAnAllowedOriginGets204(): void
    {
        $app = $this->makeApp($this->makeSettings(['corsOrigins' => [self::ORIGIN]]));
        $headers = ['Origin' => self::ORIGIN, 'Access-Control-Request-Method' => 'PATCH'];
        $response = $this->call('OPTIONS', '/api/v1/notes/1', headers: $headers, app: $app);
        $this->assertSame(204, $response->status);
        $this->assertSame(self::ORIGIN, $response->header('Access-Control-Allow-Origin'));
        $this->assertStringContainsString('PATCH', $response->header('Access-Control-Allow-Methods'));
        $this->assertStringContainsString('Authorization', $response->header('Access-Control-Allow-Headers'));
        $this->assertSecurityHeaders($response);
    }

    public function testNoCorsHeadersWithoutAnAllowlist(): void
    {
        $response = $this->call('GET', '/health', headers: ['Origin' => self::ORIGIN]);
        $this->assertSame('', $response->header('Access-Control-Allow-Origin'));
        $this->assertSame('', $response->header('Vary'));
    }
}
