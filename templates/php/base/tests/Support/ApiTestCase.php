<?php

declare(strict_types=1);

namespace App\Tests\Support;

use App\AppFactory;
use App\Auth\Passwords;
use App\Database\Database;
use App\Settings;
use DI\Container;
use Monolog\Handler\TestHandler;
use Monolog\Logger;
use Monolog\Processor\PsrLogMessageProcessor;
use PHPUnit\Framework\TestCase;
use Psr\Container\ContainerInterface;
use Psr\Http\Server\RequestHandlerInterface;
use Slim\App;
use Slim\Psr7\Factory\ServerRequestFactory;
use Slim\Psr7\Factory\StreamFactory;

/**
 * Runs requests through the whole application in-process (middleware, routing, database) on a
 * fresh database per test.
 */
abstract class ApiTestCase extends TestCase
{
    protected const PASSWORD = 'correct horse battery staple';

    protected Settings $settings;
    /** @var App<ContainerInterface> */
    protected App $app;
    protected TestHandler $logs;

    protected function setUp(): void
    {
        $this->settings = $this->makeSettings();
        $this->app = $this->makeApp($this->settings);
    }

    protected function tearDown(): void
    {
        TestDatabase::cleanUp();
    }

    /** @param array<string, mixed> $overrides constructor arguments of Settings */
    protected function makeSettings(array $overrides = []): Settings
    {
        return new Settings(...[
            'jwtSecret' => bin2hex(random_bytes(32)),
            'appEnv' => 'test',
            ...$overrides,
            // The test's database unless another one is given (made only when needed: it wipes).
            'databaseUrl' => $overrides['databaseUrl'] ?? $this->settings->databaseUrl ?? TestDatabase::fresh(),
        ]);
    }

    /** @return App<ContainerInterface> */
    protected function makeApp(Settings $settings): App
    {
        $this->logs = new TestHandler();
        return AppFactory::create($settings, new Logger('test', [$this->logs], [new PsrLogMessageProcessor()]));
    }

    /**
     * An app on this test's database that checks passwords with `$passwords` (a spy).
     *
     * @return App<ContainerInterface>
     */
    protected function appWithPasswords(Passwords $passwords): App
    {
        $app = $this->makeApp($this->settings);
        $container = $app->getContainer();
        if (!$container instanceof Container) {
            throw new \LogicException('the app is built on PHP-DI');
        }
        $container->set(Passwords::class, $passwords);
        return $app;
    }

    /**
     * An app on this test's database that records every statement it runs in `$db`.
     *
     * @return App<ContainerInterface>
     */
    protected function appWithDatabase(CountingDatabase $db): App
    {
        $app = $this->makeApp($this->settings);
        $container = $app->getContainer();
        if (!$container instanceof Container) {
            throw new \LogicException('the app is built on PHP-DI');
        }
        $container->set(Database::class, $db);
        return $app;
    }

    /**
     * @param array<string, string|list<string>> $headers a list sends the header once per value
     * @param ?RequestHandlerInterface $app the test's app unless given (or another handler)
     */
    protected function call(
        string $method,
        string $path,
        mixed $json = null,
        array $headers = [],
        ?string $body = null,
        string $ip = '127.0.0.1',
        ?RequestHandlerInterface $app = null,
    ): TestResponse {
        // The server parameters php-fpm gets from nginx that the app reads.
        $server = ['REMOTE_ADDR' => $ip, 'REQUEST_URI' => $path];
        $request = (new ServerRequestFactory())->createServerRequest($method, 'http://localhost' . $path, $server);
        if ($json !== null || $body !== null) {
            // An empty PHP array is sent as {}: every body the API takes is an object.
            $json = $json === [] ? new \stdClass() : $json;
            $text = $body ?? json_encode($json, JSON_THROW_ON_ERROR | JSON_PRESERVE_ZERO_FRACTION);
            $request = $request
                ->withHeader('Content-Type', 'application/json')
                ->withHeader('Content-Length', (string) strlen($text))
                ->withBody((new StreamFactory())->createStream($text));
        }
        foreach ($headers as $name => $value) {
            $request = $request->withHeader($name, $value);
        }
        return new TestResponse(($app ?? $this->app)->handle($request));
    }

    /**
     * A POST with a JSON body.
     *
     * @param array<string, string> $headers
     * @param App<ContainerInterface>|null $app
     */
    protected function post(
        string $path,
        mixed $json,
        array $headers = [],
        string $ip = '127.0.0.1',
        ?App $app = null,
    ): TestResponse {
        return $this->call('POST', $path, $json, $headers, ip: $ip, app: $app);
    }

    /** @param array<string, string> $headers */
    protected function get(string $path, array $headers = []): TestResponse
    {
        return $this->call('GET', $path, headers: $headers);
    }

    /**
     * Registers a new account and returns its email and the Authorization header of a fresh token.
     *
     * @return array{email: string, headers: array<string, string>}
     */
    protected function account(string $tag = 'user'): array
    {
        $email = $tag . '-' . bin2hex(random_bytes(6)) . '@example.com';
        $registered = $this->post('/api/v1/auth/register', ['email' => $email, 'password' => self::PASSWORD]);
        $this->assertSame(201, $registered->status, $registered->text);
        return ['email' => $email, 'headers' => $this->login($email)];
    }

    /** @return array<string, string> */
    protected function login(string $email, string $password = self::PASSWORD): array
    {
        $response = $this->call('POST', '/api/v1/auth/login', ['email' => $email, 'password' => $password]);
        $this->assertSame(200, $response->status, $response->text);
        return ['Authorization' => 'Bearer ' . $response->json()['access_token']];
    }

    protected function assertProblem(TestResponse $response, int $status): void
    {
        $this->assertSame($status, $response->status, $response->text);
        $this->assertSame('application/problem+json', $response->header('Content-Type'));
        $body = $response->json();
        $this->assertSame('about:blank', $body['type']);
        $this->assertSame($status, $body['status']);
        $this->assertIsString($body['title']);
    }

    /** A 422 problem naming `$field`. */
    protected function assertInvalid(TestResponse $response, string $field, string $what = ''): void
    {
        $message = trim("$what: expected 422 naming $field, got {$response->text}", ': ');
        $this->assertSame(422, $response->status, $message);
        $this->assertContains($field, $response->errorFields(), $what);
    }
}
