<?php

declare(strict_types=1);

namespace App\Tests;

use App\Http\Problem;
use App\Tests\Support\ApiTestCase;
use App\Tests\Support\TestResponse;
use Monolog\Level;

final class ErrorsTest extends ApiTestCase
{
    public function testAnUnknownPathIsA404Problem(): void
    {
        $account = $this->account();
        $paths = ['/no-such-route', '/api/v1/no-such-route', '/api/v1/notes/1/extra', '/api/v1/notes/',
            // Empty segments anywhere, the leading one included (the URI object would drop it).
            '/api//v1/notes', '/api/v1//notes', '//api/v1/notes', '//health', '///api/v1/auth/me'];
        foreach ($paths as $path) {
            $response = $this->call('GET', $path, headers: $account['headers']);
            $this->assertProblem($response, 404);
            $this->assertSame('', $response->header('Location'), $path);
        }
    }

    public function testAnUnsupportedMethodIsA405ProblemWithAllow(): void
    {
        $account = $this->account();
        // Any method token, not only the ones the framework knows (nginx hands TRACE and
        // CONNECT to the app too: see bin/serve).
        $cases = [
            ['PUT', '/api/v1/notes', 'GET, POST'],
            ['QUERY', '/api/v1/notes', 'GET, POST'],
            ['FOO', '/api/v1/notes/1', 'GET, PATCH, DELETE'],
            ['TRACE', '/api/v1/notes/1', 'GET, PATCH, DELETE'],
            ['CONNECT', '/api/v1/auth/me', 'GET'],
            ['GET', '/api/v1/auth/login', 'POST'],
            ['POST', '/health', 'GET'],
        ];
        foreach ($cases as [$method, $path, $allow]) {
            $response = $this->call($method, $path, [], $account['headers']);
            $this->assertProblem($response, 405);
            $this->assertSame($allow, $response->header('Allow'), "$method $path");
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
    }

    public function testOnlyUtf8JsonIsRead(): void
    {
        $account = $this->account();
        $post = fn (string $type): TestResponse => $this->call(
            'POST',
            '/api/v1/notes',
            body: '{"title":"x"}',
            headers: [...$account['headers'], 'Content-Type' => $type],
        );
        $utf8 = ['application/json', 'application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"'];
        foreach ($utf8 as $type) {
            $this->assertSame(201, $post($type)->status, $type);
        }
        $others = ['utf-7', 'latin-1', 'iso-8859-1', 'utf-16', 'UTF-32', ''];
        foreach ($others as $charset) {
            $this->assertProblem($post("application/json; charset=$charset"), 415);
        }
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

    public function testAValidationProblemListsAtMostTwentyErrors(): void
    {
        $account = $this->account();
        $body = [];
        for ($i = 0; $i < 40000; $i++) {
            $body["k$i"] = 1;
        }
        $response = $this->post('/api/v1/notes', $body, $account['headers']);
        $this->assertInvalid($response, 'title');
        $this->assertCount(Problem::MAX_ERRORS, $response->json()['errors']);
        $this->assertLessThan(4096, strlen($response->text));
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
