<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Meta\HealthProbe;
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

    /** public/index.php answers GET /health with AppFactory::healthProbe(): it must answer as the app. */
    public function testTheHealthProbeAnswersExactlyAsTheApp(): void
    {
        $origin = 'https://app.example.com';
        $cases = [
            'development' => [[], []],
            'production (HSTS)' => [['appEnv' => 'production'], []],
            'allowed origin' => [['corsOrigins' => [$origin]], ['Origin' => $origin]],
            'other origin' => [['corsOrigins' => [$origin]], ['Origin' => 'https://elsewhere.example.com']],
            'no origin, CORS on' => [['corsOrigins' => [$origin]], []],
        ];
        foreach ($cases as $case => [$overrides, $headers]) {
            $settings = $this->makeSettings($overrides);
            $app = $this->call('GET', '/health', headers: $headers, app: $this->makeApp($settings));
            $probe = $this->call('GET', '/health', headers: $headers, app: AppFactory::healthProbe($settings));
            $this->assertSame(200, $probe->status, $case);
            $this->assertSame($app->response->getHeaders(), $probe->response->getHeaders(), $case);
            $this->assertSame($app->text, $probe->text, $case);
        }
    }

    public function testOnlyAPlainGetOfHealthIsAnsweredWithoutTheApp(): void
    {
        $plain = ['REQUEST_METHOD' => 'GET', 'REQUEST_URI' => '/health', 'CONTENT_LENGTH' => ''];
        $this->assertTrue(HealthProbe::handles($plain));
        $others = [
            ['REQUEST_METHOD' => 'HEAD'], ['REQUEST_METHOD' => 'POST'], ['REQUEST_URI' => '/health?verbose'],
            ['REQUEST_URI' => '//health'], ['REQUEST_URI' => '/health/'], ['REQUEST_URI' => '/%68ealth'],
            ['CONTENT_LENGTH' => '2'], ['HTTP_TRANSFER_ENCODING' => 'chunked'],
        ];
        foreach ($others as $other) {
            $this->assertFalse(HealthProbe::handles([...$plain, ...$other]), json_encode($other, JSON_THROW_ON_ERROR));
        }
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
