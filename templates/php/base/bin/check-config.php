<?php

/**
 * Validates the configuration the app would start with (the environment over .env) and the
 * common-password list, and exits non-zero with a message naming the variable (or the file)
 * when something is unusable. bin/serve runs it first (with --listen, to learn HOST and PORT,
 * --compile-dotenv FILE, to parse .env once for every php-fpm worker, and --compile-app DIR, to
 * compile the container and the route table once for all of them), so a production server with
 * a missing, weak or placeholder JWT_SECRET never starts.
 */

declare(strict_types=1);

use App\AppFactory;
use App\Auth\PasswordPolicy;
use App\ConfigError;
use App\Settings;

require dirname(__DIR__) . '/vendor/autoload.php';

try {
    $settings = Settings::fromEnvironment(Settings::environment(dirname(__DIR__)));
} catch (ConfigError $error) {
    fwrite(STDERR, 'Configuration error: ' . $error->getMessage() . PHP_EOL);
    exit(1);
}
try {
    // Registration needs the common-password list: a build that lost it must not start.
    (new PasswordPolicy())->common();
} catch (RuntimeException $error) {
    fwrite(STDERR, 'Configuration error: ' . $error->getMessage() . PHP_EOL);
    exit(1);
}
$problem = Settings::secretProblem($settings->jwtSecret);
if ($problem !== null) {
    fwrite(STDERR, "Warning: JWT_SECRET $problem (tolerated outside production only)" . PHP_EOL);
}
$compileTo = array_search('--compile-dotenv', $argv, true);
if ($compileTo !== false) {
    Settings::compileDotenv(dirname(__DIR__), (string) ($argv[$compileTo + 1] ?? ''));
}
$compileAppTo = array_search('--compile-app', $argv, true);
if ($compileAppTo !== false) {
    AppFactory::compile($settings, (string) ($argv[$compileAppTo + 1] ?? ''));
}
if (in_array('--listen', $argv, true)) {
    // For bin/serve: where the web server listens, and the environment (HSTS in production);
    // and, for its log, where the rate limits are counted.
    echo $settings->host, ' ', $settings->port, ' ', $settings->appEnv, PHP_EOL;
    fwrite(STDERR, $settings->rateLimitStore() . PHP_EOL);
}
