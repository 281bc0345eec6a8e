<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Auth\LoginThrottle;
use App\Auth\RegistrationLimit;
use App\ConfigError;
use App\Http\BodyLimit;
use App\Http\Pagination;
use App\Http\SecurityHeaders;
use App\Settings;
use PHPUnit\Framework\TestCase;
use Slim\Psr7\Factory\ServerRequestFactory;

final class ConfigTest extends TestCase
{
    private const PLACEHOLDER = 'change-me-to-a-random-string-of-at-least-32-bytes';

    private static function strongSecret(): string
    {
        return bin2hex(random_bytes(32));
    }

    /** @param array<string, string> $env */
    private function assertRefused(array $env, string $variable): void
    {
        try {
            Settings::fromEnvironment($env);
            $this->fail('accepted ' . json_encode($env));
        } catch (ConfigError $error) {
            $this->assertStringStartsWith($variable, $error->getMessage());
        }
    }

    public function testProductionRefusesAWeakJwtSecret(): void
    {
        $weak = ['', 'short', self::PLACEHOLDER, str_repeat('x', 31), 'an-EXAMPLE-secret-that-is-long-enough-1234',
            'placeholder' . self::strongSecret(),
            // Long enough, but fewer than 10 distinct characters.
            str_repeat('a', 48), str_repeat('abc123', 8), str_repeat('012345678', 4)];
        foreach ($weak as $secret) {
            $this->assertRefused(['APP_ENV' => 'production', 'JWT_SECRET' => $secret], 'JWT_SECRET');
        }
        $this->assertRefused(['APP_ENV' => 'production'], 'JWT_SECRET');
    }

    public function testProductionAcceptsAStrongSecret(): void
    {
        $settings = Settings::fromEnvironment(['APP_ENV' => 'production', 'JWT_SECRET' => self::strongSecret()]);
        $this->assertTrue($settings->isProduction());
        // Ten distinct characters are enough when there are 32 of them.
        $tenDistinct = str_repeat('0123456789', 3) . 'ab';
        $settings = Settings::fromEnvironment(['APP_ENV' => 'production', 'JWT_SECRET' => $tenDistinct]);
        $this->assertSame($tenDistinct, $settings->jwtSecret);
    }

    public function testAnEmptyEnvironmentGivesTheProductionRelevantDefaults(): void
    {
        // Nothing set at all: the one variable without a default is named.
        $this->assertRefused([], 'JWT_SECRET');
        $secret = self::strongSecret();
        $settings = Settings::fromEnvironment(['JWT_SECRET' => $secret]);
        $this->assertSame('development', $settings->appEnv);
        $this->assertSame(Settings::DEFAULT_TOKEN_TTL_SECONDS, $settings->jwtTtlSeconds);
        $this->assertSame(Settings::DEFAULT_AUTH_EVENT_LOG, $settings->authEventLog);
        $this->assertSame(Settings::PROJECT_NAME, $settings->jwtIssuer);
        $this->assertSame(Settings::PROJECT_NAME, $settings->jwtAudience);
        $this->assertSame([], $settings->corsOrigins);
        $this->assertTrue($settings->openApiEnabled);
        $this->assertSame(['sqlite:///data/app.db', 'info'], [$settings->databaseUrl, $settings->logLevel]);
        $this->assertSame(['127.0.0.1', 8000], [$settings->host, $settings->port]);
        // In production: no OpenAPI document unless asked for, and HSTS (off in development).
        $production = Settings::fromEnvironment(['JWT_SECRET' => $secret, 'APP_ENV' => 'production']);
        $this->assertFalse($production->openApiEnabled);
        $hsts = static fn (Settings $s): string => AppFactory::create($s)
            ->handle((new ServerRequestFactory())->createServerRequest('GET', '/health'))
            ->getHeaderLine('Strict-Transport-Security');
        $this->assertSame(['', SecurityHeaders::HSTS], [$hsts($settings), $hsts($production)]);
        // The limits that are not settings.
        $this->assertSame(1024 * 1024, BodyLimit::MAX_BYTES);
        $this->assertSame([5, 60], [LoginThrottle::ATTEMPTS, LoginThrottle::WINDOW_SECONDS]);
        $this->assertSame([30, 900], [LoginThrottle::CLIENT_ATTEMPTS, LoginThrottle::CLIENT_WINDOW_SECONDS]);
        $this->assertSame([10, 3600], [RegistrationLimit::ATTEMPTS, RegistrationLimit::WINDOW_SECONDS]);
        $this->assertSame([20, 100], [Pagination::DEFAULT_LIMIT, Pagination::MAX_LIMIT]);
    }

    public function testDevelopmentToleratesThePlaceholderButNotAMissingOrShortSecret(): void
    {
        $this->assertSame(self::PLACEHOLDER, Settings::fromEnvironment(['JWT_SECRET' => self::PLACEHOLDER])->jwtSecret);
        $this->assertRefused([], 'JWT_SECRET');
        // php-jwt refuses HS256 keys under 32 bytes in every environment.
        $this->assertRefused(['JWT_SECRET' => 'short'], 'JWT_SECRET');
    }

    public function testInvalidSettingsNameTheirVariable(): void
    {
        $cases = [
            'APP_ENV' => 'staging',
            'PORT' => 'abc',
            'JWT_TTL_SECONDS' => '901',
            'LOG_LEVEL' => 'loud',
            'CORS_ORIGINS' => 'app.example.com',
            'OPENAPI_ENABLED' => 'maybe',
            'DATABASE_URL' => 'mysql://db/app',
            'REDIS_URL' => 'http://127.0.0.1:6379',
            'TRUSTED_PROXIES' => '10.0.0.0/8, 192.168.0.0/33',
        ];
        foreach ($cases as $name => $value) {
            $this->assertRefused(['JWT_SECRET' => self::strongSecret(), $name => $value], $name);
        }
        $this->assertRefused(['JWT_SECRET' => self::strongSecret(), 'PORT' => '70000'], 'PORT');
        $unnamed = ['JWT_SECRET' => self::strongSecret(), 'TRUSTED_PROXIES' => 'proxy.internal'];
        $this->assertRefused($unnamed, 'TRUSTED_PROXIES');
    }

    public function testTrustedProxiesAndRedisUrl(): void
    {
        $settings = Settings::fromEnvironment([
            'JWT_SECRET' => self::strongSecret(),
            'TRUSTED_PROXIES' => ' 10.0.0.0/8 ,, 192.0.2.7,2001:db8::/32 ',
            'REDIS_URL' => 'redis://:secret@redis:6379/2',
        ]);
        $this->assertSame(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32'], $settings->trustedProxies);
        $this->assertSame('redis://:secret@redis:6379/2', $settings->redisUrl);
        $this->assertSame('rate limits: redis (shared by every instance)', $settings->rateLimitStore());
        $this->assertSame(
            'rate limits: database (this instance only; set REDIS_URL to share them)',
            Settings::fromEnvironment(['JWT_SECRET' => self::strongSecret()])->rateLimitStore(),
        );
    }

    public function testCorsOriginsAreACommaSeparatedList(): void
    {
        $origins = ' https://a.example , http://localhost:5173/ ,';
        $settings = Settings::fromEnvironment(['JWT_SECRET' => self::strongSecret(), 'CORS_ORIGINS' => $origins]);
        $this->assertSame(['https://a.example', 'http://localhost:5173'], $settings->corsOrigins);
    }

    public function testDotenvIsReadButTheRealEnvironmentWins(): void
    {
        $dir = sys_get_temp_dir() . '/dotenv-' . bin2hex(random_bytes(4));
        mkdir($dir);
        file_put_contents("$dir/.env", "JWT_ISSUER=from-the-file\nLOG_LEVEL=debug\n");
        putenv('LOG_LEVEL=error');
        try {
            $env = Settings::environment($dir);
            $this->assertSame('from-the-file', $env['JWT_ISSUER']);
            $this->assertSame('error', $env['LOG_LEVEL']);
        } finally {
            putenv('LOG_LEVEL');
            unlink("$dir/.env");
            rmdir($dir);
        }
    }

    public function testACompiledDotenvIsReadLikeTheFileAndTheRealEnvironmentStillWins(): void
    {
        $dir = sys_get_temp_dir() . '/dotenv-' . bin2hex(random_bytes(4));
        mkdir($dir);
        file_put_contents("$dir/.env", "JWT_ISSUER=\"it's \\\"quoted\\\"\"\nLOG_LEVEL=debug\nEMPTY=\n");
        Settings::compileDotenv($dir, "$dir/dotenv.php");
        // The file is gone: what the workers read now comes from the compiled copy alone.
        $parsed = Settings::dotenv($dir);
        unlink("$dir/.env");
        putenv(Settings::DOTENV_COMPILED . "=$dir/dotenv.php");
        putenv('LOG_LEVEL=error');
        try {
            $this->assertSame($parsed, Settings::dotenv($dir));
            $env = Settings::environment($dir);
            $this->assertSame('it\'s "quoted"', $env['JWT_ISSUER']);
            $this->assertSame('error', $env['LOG_LEVEL']);
            $this->assertSame('600', substr(sprintf('%o', fileperms("$dir/dotenv.php")), -3), 'it holds secrets');
        } finally {
            putenv(Settings::DOTENV_COMPILED);
            putenv('LOG_LEVEL');
            unlink("$dir/dotenv.php");
            rmdir($dir);
        }
    }

    public function testTheStartupCheckExitsNamingTheVariable(): void
    {
        foreach ([self::PLACEHOLDER, 'short', str_repeat('a', 48)] as $secret) {
            $command = ['php', AppFactory::PROJECT_ROOT . '/bin/check-config.php'];
            [$status, , $stderr] = self::runCommand($command, ['APP_ENV' => 'production', 'JWT_SECRET' => $secret]);
            $this->assertSame(1, $status);
            $this->assertStringContainsString('JWT_SECRET', $stderr);
        }
        [$status, $stdout] = self::runCommand(['php', AppFactory::PROJECT_ROOT . '/bin/check-config.php', '--listen'], [
            'APP_ENV' => 'production', 'JWT_SECRET' => self::strongSecret(), 'HOST' => '0.0.0.0', 'PORT' => '8123',
        ]);
        $this->assertSame([0, "0.0.0.0 8123 production\n"], [$status, $stdout]);
    }

    public function testTheServingPhpSettingsAreValid(): void
    {
        $ini = parse_ini_file(AppFactory::PROJECT_ROOT . '/config/php.ini', true, INI_SCANNER_TYPED);
        $this->assertIsArray($ini);
        $this->assertFalse($ini['PHP']['expose_php']);
        $this->assertFalse($ini['PHP']['display_errors']);
        $this->assertTrue($ini['PHP']['log_errors']);
        $this->assertSame(1, $ini['opcache']['opcache.enable']);
        // Production code never changes under a running server: no file checks per request.
        $this->assertSame(0, $ini['opcache']['opcache.validate_timestamps']);
        // PHP itself reads them as written (a misspelt setting would be ignored silently).
        $script = 'echo json_encode([ini_get("expose_php"), ini_get("display_errors"), ini_get("post_max_size"),'
            . ' extension_loaded("Zend OPcache") ? ini_get("opcache.memory_consumption") : "128"]);';
        $command = ['php', '-c', AppFactory::PROJECT_ROOT . '/config/php.ini', '-r', $script];
        [$status, $stdout] = self::runCommand($command, []);
        $this->assertSame(0, $status);
        $this->assertSame(['', '', '2M', '128'], json_decode($stdout, true));
    }

    public function testThePreloadScriptDeclaresTheAppsClasses(): void
    {
        if (!extension_loaded('Zend OPcache')) {
            $this->markTestSkipped('no OPcache extension: bin/serve preloads with it');
        }
        // As php-fpm runs it at bin/serve's start (as root it needs preload_user).
        $user = function_exists('posix_geteuid') ? (posix_getpwuid(posix_geteuid())['name'] ?? 'root') : 'root';
        $script = 'echo json_encode(opcache_get_status(false)["preload_statistics"]["classes"] ?? []);';
        $command = ['php', '-c', AppFactory::PROJECT_ROOT . '/config/php.ini', '-d', 'opcache.enable_cli=1',
            '-d', 'opcache.preload=' . AppFactory::PROJECT_ROOT . '/config/preload.php',
            '-d', "opcache.preload_user=$user", '-r', $script];
        [$status, $stdout, $stderr] = self::runCommand($command, []);
        $this->assertSame(0, $status, $stderr);
        $classes = json_decode($stdout, true);
        foreach ([AppFactory::class, \App\Auth\Tokens::class, \Slim\App::class, \DI\Container::class] as $class) {
            $this->assertContains($class, $classes, $stderr);
        }
    }

    /**
     * Runs a command with `$env` over this process's environment. Every variable of the app is
     * set, empty unless `$env` gives it: the project's .env (which the app reads for whatever
     * the environment leaves unset) has no say in the result.
     *
     * @param list<string> $command
     * @param array<string, string> $env
     * @return array{0: int, 1: string, 2: string}
     */
    private static function runCommand(array $command, array $env): array
    {
        $blank = array_fill_keys(Settings::VARIABLES, '');
        $pipes = [1 => ['pipe', 'w'], 2 => ['pipe', 'w']];
        $process = proc_open($command, $pipes, $pipes, null, [...getenv(), ...$blank, ...$env]);
        if (!is_resource($process)) {
            throw new \RuntimeException('could not start ' . $command[0]);
        }
        $stdout = (string) stream_get_contents($pipes[1]);
        $stderr = (string) stream_get_contents($pipes[2]);
        return [proc_close($process), $stdout, $stderr];
    }
}
