<?php

/**
 * OPcache preloading, run once by php-fpm as it starts (bin/serve passes it as opcache.preload):
 * every class a request uses is compiled, linked and kept in shared memory, so no request looks
 * a class up, includes its file or declares it again. Changed code needs a restart, as it does
 * anyway with opcache.validate_timestamps=0.
 *
 * Rather than a list to keep up to date, it declares every class of src/ and then serves one
 * request in memory (GET /health: no database, no output), which declares what Slim, PHP-DI,
 * PSR-7 and Monolog need on every request. Classes it misses still load as usual.
 */

declare(strict_types=1);

use App\AppFactory;
use App\Settings;
use Psr\Log\NullLogger;
use Slim\Factory\ServerRequestCreatorFactory;
use Slim\Psr7\Factory\ServerRequestFactory;
use Slim\ResponseEmitter;

require dirname(__DIR__) . '/vendor/autoload.php';

$src = AppFactory::PROJECT_ROOT . '/src/';
$files = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($src, FilesystemIterator::SKIP_DOTS));
foreach ($files as $file) {
    if ($file instanceof SplFileInfo && $file->getExtension() === 'php') {
        // App\Auth\Tokens from src/Auth/Tokens.php; loading it declares its parents and interfaces.
        $class = 'App\\' . strtr(substr($file->getPathname(), strlen($src), -4), '/', '\\');
        class_exists($class) || interface_exists($class) || enum_exists($class);
    }
}
// What requests load besides the app's own classes: tokens, and one request's worth of Slim,
// PHP-DI, PSR-7 and Monolog (reading this process's globals, as public/index.php does).
class_exists(Firebase\JWT\JWT::class);
class_exists(Firebase\JWT\Key::class);
$settings = new Settings(jwtSecret: bin2hex(random_bytes(32)), appEnv: 'production');
AppFactory::logger($settings);
ServerRequestCreatorFactory::create()->createServerRequestFromGlobals();
class_exists(ResponseEmitter::class);
$request = (new ServerRequestFactory())->createServerRequest('GET', 'http://localhost/health');
AppFactory::create($settings, new NullLogger())->handle($request);
