<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Settings;
use App\Tests\Support\ApiTestCase;

final class HealthTest extends ApiTestCase
{
    public function testHealthAnswersOk(): void
    {
        $response = $this->call('GET', '/health');
        $this->assertSame(200, $response->status);
        $this->assertSame(['status' => 'ok'], $response->json());
    }

    public function testReadyAnswersOkWhenTheDatabaseAnswers(): void
    {
        $this->assertSame(['status' => 'ok'], $this->call('GET', '/ready')->json());
    }

    public function testReadyAnswers503WhenTheDatabaseIsDown(): void
    {
        // A SQLite file in a folder that cannot exist stands for an unreachable database.
        $app = $this->makeApp($this->makeSettings(['databaseUrl' => 'sqlite:////proc/no-such-folder/app.db']));
        $this->assertProblem($this->call('GET', '/ready', app: $app), 503);
        $this->assertSame(200, $this->call('GET', '/health', app: $app)->status);
    }

    public function testTheOpenApiDocumentIsServed(): void
    {
        $response = $this->call('GET', '/openapi.json');
        $this->assertSame(200, $response->status);
        $this->assertSame('application/json', $response->header('Content-Type'));
        $this->assertSame(file_get_contents(AppFactory::PROJECT_ROOT . '/openapi.json'), $response->text);
        $this->assertStringStartsWith('3.1', $response->json()['openapi']);
    }

    public function testTheOpenApiDocumentCanBeTurnedOff(): void
    {
        $app = $this->makeApp($this->makeSettings(['openApiEnabled' => false]));
        $this->assertProblem($this->call('GET', '/openapi.json', app: $app), 404);
    }

    public function testTheOpenApiDocumentIsOffByDefaultInProductionOnly(): void
    {
        $secret = bin2hex(random_bytes(32));
        $enabled = static fn (array $env): bool
            => Settings::fromEnvironment(['JWT_SECRET' => $secret, ...$env])->openApiEnabled;
        $this->assertFalse($enabled(['APP_ENV' => 'production']));
        $this->assertTrue($enabled(['APP_ENV' => 'development']));
        $this->assertTrue($enabled(['APP_ENV' => 'production', 'OPENAPI_ENABLED' => 'true']));
    }
}
