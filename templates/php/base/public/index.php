<?php

/**
 * The front controller: every request that reaches PHP comes through here. public/ is the only
 * folder a web server may serve; everything else stays out of its reach.
 */

declare(strict_types=1);

use App\AppFactory;
use App\ConfigError;
use App\Meta\HealthProbe;
use App\Settings;
use Slim\Factory\ServerRequestCreatorFactory;
use Slim\ResponseEmitter;

require dirname(__DIR__) . '/vendor/autoload.php';

// Errors are logged, never printed into a response.
ini_set('display_errors', '0');
// A warning or notice is a bug: raise it, so it becomes a logged 500 instead of a half answer.
set_error_handler(static function (int $severity, string $message, string $file, int $line): bool {
    if ((error_reporting() & $severity) === 0) {
        return false;
    }
    throw new ErrorException($message, 0, $severity, $file, $line);
});

try {
    $settings = Settings::fromEnvironment(Settings::environment(dirname(__DIR__)));
} catch (ConfigError $error) {
    // bin/serve refuses to start on this; under another server it surfaces on each request.
    error_log('Configuration error: ' . $error->getMessage());
    http_response_code(500);
    header('Content-Type: application/problem+json');
    echo '{"type":"about:blank","title":"Internal Server Error","status":500}';
    exit;
}

// The liveness probe, asked for every few seconds, is answered without building the app.
if (HealthProbe::handles($_SERVER)) {
    $request = ServerRequestCreatorFactory::create()->createServerRequestFromGlobals();
    (new ResponseEmitter())->emit(AppFactory::healthProbe($settings)->handle($request));
    exit;
}

// Under bin/serve, the container and the route table it compiled as it started.
$compiled = getenv(AppFactory::COMPILED);
AppFactory::create($settings, compiled: is_string($compiled) && $compiled !== '' ? $compiled : null)->run();
