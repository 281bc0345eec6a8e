<?php

declare(strict_types=1);

namespace App\Tests;

use App\Tests\Support\ApiTestCase;
use Monolog\Level;

final class ErrorsTest extends ApiTestCase
{
    public function testAnUnknownPathIsA404Problem(): void
    {
        $account = $this->account();
        foreach (['/no-such-route', '/api/v1/no-such-route', '/api/v1/notes/1/extra', '/api/v1/notes/'] as $path) {
            $this->assertProblem($this->call('GET', $path, headers: $account['headers']), 404);
        }
    }

    public function testAnUnsupportedMethodIsA405ProblemWithAllow(): void
    {
        $account = $this->account();
        $cases = [
            ['PUT', '/api/v1/notes', 'GET, POST'],
            ['GET', '/api/v1/auth/login', 'POST'],
            ['POST', '/health', 'GET'],
        ];
        foreach ($cases as [$method, $path, $allow]) {
            $response = $this->call($method, $path, [], $account['headers']);
            $this->assertProblem($response, 405);
            $this->assertSame($allow, $response->header('Allow'));
        }
    }

    public function testABodyOverOneMebibyteIsA413Problem(): void
    {
        $account = $this->account();
        $body = json_encode(['title' => 'big', 'body' => str_repeat('x', 1024 * 1024)]);
        $this->assertProblem($this->call('POST', '/api/v1/notes', body: $body, headers: $account['headers']), 413);
    }

    public function testABodyJustUnderTheLimitIsRead(): void
    {
        $account = $this->account();
        // Valid JSON of exactly 1 MiB: read, then refused by validation, not by size.
        $padding = 1024 * 1024 - strlen('{"title":"x","body":""}');
        $body = '{"title":"x","body":"' . str_repeat('x', $padding) . '"}';
        $this->assertSame(1024 * 1024, strlen($body));
        $this->assertInvalid($this->call('POST', '/api/v1/notes', body: $body, headers: $account['headers']), 'body');
    }

    public function testABodyThatIsNotJsonIsA415Problem(): void
    {
        $account = $this->account();
        foreach (['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''] as $type) {
            $headers = [...$account['headers'], 'Content-Type' => $type];
            $response = $this->call('POST', '/api/v1/notes', body: '{"title":"x"}', headers: $headers);
            $this->assertProblem($response, 415);
        }
        $headers = [...$account['headers'], 'Content-Type' => 'application/json; charset=utf-8'];
        $charset = $this->call('POST', '/api/v1/notes', body: '{"title":"x"}', headers: $headers);
        $this->assertSame(201, $charset->status);
    }

    public function testMalformedJsonIsA400Problem(): void
    {
        $account = $this->account();
        $deep = '{"title": ' . str_repeat('[', 10000) . str_repeat(']', 10000) . '}';
        $invalidUtf8 = "{\"title\": \"\xff\"}";
        $bodies = ['{"title": "x"', '{title: "x"}', "{'title': 'x'}", '{"title": "x",}', 'not json', $invalidUtf8];
        $bodies[] = $deep;
        foreach ($bodies as $body) {
            $this->assertProblem($this->call('POST', '/api/v1/notes', body: $body, headers: $account['headers']), 400);
        }
    }

    public function testJsonThatIsNotAnObjectIsA422Problem(): void
    {
        $account = $this->account();
        foreach (['[]', '[{"title":"x"}]', '"title"', '42', 'true', 'null'] as $body) {
            $response = $this->call('POST', '/api/v1/notes', body: $body, headers: $account['headers']);
            $this->assertInvalid($response, 'body', $body);
        }
    }

    public function testNulAndLoneSurrogatesAreA422NamingTheField(): void
    {
        $account = $this->account();
        $bodies = ['{"title": "nul\u0000byte"}', '{"title": "lone\ud800surrogate"}', '{"title": "low\udc00"}'];
        foreach ($bodies as $body) {
            $response = $this->call('POST', '/api/v1/notes', body: $body, headers: $account['headers']);
            $this->assertInvalid($response, 'title', $body);
        }
        // An escaped backslash followed by "ud800" is plain text, and a real pair is an emoji.
        $body = '{"title": "\\\\ud800 and \ud83d\ude00"}';
        $ok = $this->call('POST', '/api/v1/notes', body: $body, headers: $account['headers']);
        $this->assertSame(201, $ok->status, $ok->text);
        $this->assertSame('\\ud800 and 😀', $ok->json()['title']);
    }

    public function testValidationProblemsListEveryField(): void
    {
        $account = $this->account();
        $response = $this->post('/api/v1/notes', ['title' => '', 'body' => 5, 'color' => 'red'], $account['headers']);
        $this->assertSame(['title', 'body', 'color'], $response->errorFields());
        foreach ($response->json()['errors'] as $error) {
            $this->assertIsString($error['message']);
        }
    }

    public function testAnUnhandledExceptionIsABare500Problem(): void
    {
        $this->app->get('/boom', function (): never {
            throw new \RuntimeException('secret detail at /srv/app/src/Secret.php:12 with SELECT * FROM users');
        });
        $response = $this->call('GET', '/boom');
        $this->assertProblem($response, 500);
        $this->assertSame(['type', 'title', 'status'], array_keys($response->json()));
        $this->assertStringNotContainsString('secret', $response->text);
        $this->assertTrue($this->logs->hasRecordThatContains('Unhandled exception on GET /boom', Level::Error));
    }

    public function testNoResponseNamesTheSoftware(): void
    {
        foreach (['/health', '/no-such-route'] as $path) {
            $response = $this->call('GET', $path);
            $this->assertSame('', $response->header('X-Powered-By'));
            $this->assertSame('', $response->header('Server'));
        }
    }
}
