<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Database\Database;
use App\Database\Migrator;
use App\Http\SecurityHeaders;
use App\Settings;
use PHPUnit\Framework\TestCase;

/**
 * bin/serve, as production runs it: php-fpm workers behind nginx. Needs php-fpm and nginx
 * (skipped without them, except under CI, where that is a failure).
 */
final class ServerTest extends TestCase
{
    private const PASSWORD = 'correct horse battery staple';
    private const PLACEHOLDER = 'change-me-to-a-random-string-of-at-least-32-bytes';

    /** @var resource|null */
    private $process = null;
    private string $baseUrl = '';
    private string $dir = '';
    /** @var array<int, resource> */
    private array $pipes = [];

    protected function setUp(): void
    {
        $missing = array_filter(
            ['php-fpm' => self::findFpm(), 'nginx' => self::findProgram(['nginx'])],
            static fn (?string $path): bool => $path === null,
        );
        if ($missing !== []) {
            $message = implode(' and ', array_keys($missing)) . ' not found (Debian: apt install php-fpm nginx)';
            if (in_array(strtolower((string) getenv('CI')), ['1', 'true', 'yes'], true)) {
                $this->fail("$message; CI is set, so this is a failure, not a skip");
            }
            $this->markTestSkipped($message);
        }
        $this->dir = sys_get_temp_dir() . '/serve-test-' . bin2hex(random_bytes(6));
        mkdir($this->dir);
    }

    protected function tearDown(): void
    {
        if (is_resource($this->process)) {
            // SIGTERM lets bin/serve stop php-fpm and nginx; SIGKILL would leave them running.
            $this->stop();
            proc_close($this->process);
        }
        if ($this->dir !== '') {
            exec('rm -rf ' . escapeshellarg($this->dir));
        }
    }

    /** @param array<string, string> $env */
    private function start(array $env = []): void
    {
        $this->launch($env);
        $deadline = microtime(true) + 20;
        while (microtime(true) < $deadline) {
            if (!proc_get_status($this->process)['running']) {
                $this->fail('bin/serve exited: ' . file_get_contents($this->dir . '/out.log'));
            }
            if ($this->request('GET', '/health')[0] === 200) {
                return;
            }
            usleep(100_000);
        }
        $this->fail('bin/serve did not answer /health: ' . file_get_contents($this->dir . '/out.log'));
    }

    /**
     * Starts bin/serve on a migrated SQLite database, without waiting for it. With setsid
     * (util-linux) it leads a process group of its own, as under a process manager, so that
     * signal() can reach the whole group, as Ctrl-C or a container runtime does.
     *
     * @param array<string, string> $env
     */
    private function launch(array $env = []): void
    {
        $url = 'sqlite:///' . $this->dir . '/app.db';
        $db = Database::fromUrl($url, AppFactory::PROJECT_ROOT);
        (new Migrator($db, AppFactory::PROJECT_ROOT . '/migrations'))->migrate();
        $port = self::freePort();
        $this->baseUrl = "http://127.0.0.1:$port";
        $setsid = self::findProgram(['setsid']);
        $this->process = proc_open(
            [...($setsid === null ? [] : [$setsid]), AppFactory::PROJECT_ROOT . '/bin/serve'],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', $this->log(), 'w'], 2 => ['file', $this->log(), 'a']],
            $this->pipes,
            AppFactory::PROJECT_ROOT,
            [
                ...getenv(),
                // Every variable of the app set, empty unless given: the project's .env has no say.
                ...array_fill_keys(Settings::VARIABLES, ''),
                'APP_ENV' => 'production',
                'JWT_SECRET' => bin2hex(random_bytes(32)),
                'DATABASE_URL' => $url,
                'HOST' => '127.0.0.1',
                'PORT' => (string) $port,
                'PHP_FPM_WORKERS' => '4',
                'TMPDIR' => $this->dir,
                ...$env,
            ],
        );
    }

    /**
     * @return array{0: int, 1: array<string, string>, 2: string} status, headers (lower-cased names), body
     */
    private function request(string $method, string $path, ?string $body = null, string $headers = ''): array
    {
        $context = stream_context_create(['http' => [
            'method' => $method,
            'header' => ($body === null ? '' : "Content-Type: application/json\r\n") . $headers,
            'content' => $body ?? '',
            'ignore_errors' => true,
            'timeout' => 10,
        ]]);
        $text = @file_get_contents($this->baseUrl . $path, false, $context);
        if ($text === false) {
            return [0, [], ''];
        }
        /** @var list<string> $http_response_header */
        $status = (int) explode(' ', $http_response_header[0])[1];
        $headers = [];
        foreach (array_slice($http_response_header, 1) as $line) {
            [$name, $value] = array_map('trim', explode(':', $line, 2)) + [1 => ''];
            $headers[strtolower($name)] = $value;
        }
        return [$status, $headers, $text];
    }

    public function testServesThroughNginxWithoutABanner(): void
    {
        $this->start();
        [$status, $headers, $body] = $this->request('GET', '/health');
        $this->assertSame([200, '{"status":"ok"}'], [$status, $body]);
        $this->assertArrayNotHasKey('x-powered-by', $headers);
        $this->assertDoesNotMatchRegularExpression('/php|\d+\.\d+/i', $headers['server'] ?? '');
        $this->assertSame('nosniff', $headers['x-content-type-options']);
        $this->assertSame('max-age=31536000; includeSubDomains', $headers['strict-transport-security']);
        // nginx stops a large body itself, and answers in the API's own format.
        $huge = json_encode(['password' => str_repeat('p', 1024 * 1024)]);
        [$status, $headers, $body] = $this->request('POST', '/api/v1/auth/register', $huge);
        $this->assertSame([413, 'application/problem+json'], [$status, $headers['content-type']]);
        $this->assertSame(413, json_decode($body, true)['status']);
        // The start-up log says where the rate limits are counted.
        $this->assertStringContainsString(
            "rate limits: database (this instance only; set REDIS_URL to share them)\n",
            (string) file_get_contents($this->log()),
        );
    }

    public function testTheLoginThrottleHoldsAcrossWorkers(): void
    {
        $this->start();
        $credentials = json_encode(['email' => 'throttle@example.com', 'password' => self::PASSWORD]);
        $this->assertSame(201, $this->request('POST', '/api/v1/auth/register', $credentials)[0]);
        $wrong = json_encode(['email' => 'throttle@example.com', 'password' => 'not the password']);
        for ($i = 1; $i <= 5; $i++) {
            // nginx hands the app its peer address: a new X-Forwarded-For each time changes nothing.
            $forwarded = "X-Forwarded-For: 198.51.100.$i\r\nX-Real-IP: 198.51.100.$i\r\n";
            $this->assertSame(401, $this->request('POST', '/api/v1/auth/login', $wrong, $forwarded)[0], "failure $i");
        }
        [$status, $headers] = $this->request('POST', '/api/v1/auth/login', $credentials);
        $this->assertSame(429, $status);
        $this->assertGreaterThanOrEqual(1, (int) $headers['retry-after']);
    }

    public function testWhatNginxAnswersItselfIsProblemJsonWithTheSecurityHeaders(): void
    {
        $this->start();
        $longHeader = 'X-Long: ' . str_repeat('a', 20000) . "\r\n";
        $twoTokens = "Authorization: Bearer a.b.c\r\nAuthorization: Bearer a.b.c\r\n";
        $cases = [
            // [raw request, status]
            ['GET /' . str_repeat('a', 20000) . " HTTP/1.1\r\nHost: localhost\r\n", 414],
            ["GET /health HTTP/1.1\r\nHost: localhost\r\n$longHeader", 431],
            ["GET /health HTTP/1.1\r\nHost: bad host\r\n", 400],
            ["GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n", 400],
            ["GET /api/v1/notes/%00 HTTP/1.1\r\nHost: localhost\r\n", 400],
            ["GET /api/v1/notes/%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer a.b.c\r\n", 400],
            // nginx refuses a second Authorization header itself; it answers what the app would.
            ["GET /api/v1/auth/me HTTP/1.1\r\nHost: localhost\r\n$twoTokens", 401],
            ["NOT A REQUEST LINE\r\n", 400],
            ["GET /health HTTP/2.0\r\nHost: localhost\r\n", 505],
            ["POST /api/v1/notes HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n", 501],
            // nginx's own internal locations are not reachable from outside.
            ["GET /.problem/400 HTTP/1.1\r\nHost: localhost\r\n", 404],
        ];
        foreach ($cases as [$request, $status]) {
            [$actual, $headers, $body] = $this->raw($request . "Connection: close\r\n\r\n");
            $what = substr($request, 0, 60);
            $this->assertSame($status, $actual, "$what: $body");
            $this->assertSame('application/problem+json', $headers['content-type'] ?? '', $what);
            $problem = json_decode($body, true);
            $this->assertSame(['about:blank', $status], [$problem['type'] ?? null, $problem['status'] ?? null], $what);
            $this->assertIsString($problem['title'] ?? null, $what);
            $this->assertStringNotContainsStringIgnoringCase('nginx', $body, $what);
            foreach (HeadersTest::EXPECTED as $name => $value) {
                $this->assertSame($value, $headers[strtolower($name)] ?? '', "$name on $what");
            }
            $this->assertSame(SecurityHeaders::HSTS, $headers['strict-transport-security'] ?? '', $what);
        }
        // The app answers a path with a leading empty segment (nginx passes it on as it came).
        [$status, $headers] = $this->raw("GET //api/v1/notes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        $this->assertSame([404, 'no-store'], [$status, $headers['cache-control'] ?? '']);
    }

    public function testMethodsNginxRefusesAreAnsweredByTheApp(): void
    {
        $this->start();
        foreach (['TRACE' => '/api/v1/notes', 'CONNECT' => '/health'] as $method => $path) {
            $request = "$method $path HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            [$status, $headers, $body] = $this->raw($request);
            $this->assertSame(405, $status, $body);
            $this->assertSame($path === '/health' ? 'GET' : 'GET, POST', $headers['allow'] ?? '');
            $this->assertSame('application/problem+json', $headers['content-type'] ?? '');
            $this->assertSame('nosniff', $headers['x-content-type-options'] ?? '');
        }
        [$status, $headers] = $this->request('QUERY', '/api/v1/notes');
        $this->assertSame([405, 'GET, POST'], [$status, $headers['allow'] ?? '']);
    }

    public function testStopsCleanlyOnSigterm(): void
    {
        $this->start();
        $this->assertIsResource($this->process);
        $status = $this->stop();
        $this->assertFalse($status['running'], 'bin/serve still runs 15 s after SIGTERM');
        $this->assertSame(0, $status['exitcode'], (string) file_get_contents($this->dir . '/out.log'));
        proc_close($this->process);
        $this->process = null;
        $this->assertSame(0, $this->request('GET', '/health')[0], 'nothing answers any more');
    }

    public function testRequestsInFlightFinishOnSigterm(): void
    {
        // One worker: the logins (an argon2id check each) queue behind it, so all but the first
        // are still in flight when SIGTERM reaches the whole process group.
        $this->start(['PHP_FPM_WORKERS' => '1']);
        $credentials = json_encode(['email' => 'inflight@example.com', 'password' => self::PASSWORD]);
        $this->assertSame(201, $this->request('POST', '/api/v1/auth/register', $credentials)[0]);
        $login = "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            . 'Content-Length: ' . strlen($credentials) . "\r\nConnection: close\r\n\r\n" . $credentials;
        $sockets = [];
        for ($i = 0; $i < 8; $i++) {
            $sockets[] = $this->send($login);
        }
        // SIGTERM once the first answer is coming: the others are accepted and queued by then.
        $readable = $sockets;
        $none = null;
        $this->assertGreaterThan(0, stream_select($readable, $none, $none, 30), 'no answer within 30 s');
        $this->signal(SIGTERM);
        foreach ($sockets as $i => $socket) {
            [$status, , $body] = $this->receive($socket);
            $this->assertSame(200, $status, "request $i: $body");
        }
        $status = $this->waitForExit(30);
        $this->assertSame(0, $status['exitcode'], (string) file_get_contents($this->log()));
        $this->assertSame(0, $this->request('GET', '/health')[0], 'nothing answers any more');
    }

    public function testASigtermDuringStartUpStopsItForGood(): void
    {
        foreach ([0.1, 0.25, 0.5, 0.9] as $delay) {
            $this->launch();
            usleep((int) ($delay * 1_000_000));
            $this->signal(SIGTERM);
            $status = $this->waitForExit(10);
            $log = (string) file_get_contents($this->log());
            // On a busy machine the signal may even beat the shell to its first line: then it ends
            // as any process does on SIGTERM, before anything started. Otherwise it exits 0.
            $beforeItRan = $status['signaled'] && $status['termsig'] === SIGTERM && $log === '';
            $this->assertTrue($status['exitcode'] === 0 || $beforeItRan, "SIGTERM after $delay s: $log");
            // Nothing listens afterwards, not even for a moment.
            for ($i = 0; $i < 10; $i++) {
                $this->assertSame(0, $this->request('GET', '/health')[0], "SIGTERM after $delay s: port answers");
                usleep(50_000);
            }
        }
    }

    public function testExcessRequestsAreShedAtOnceWhileHealthAnswers(): void
    {
        // One worker, so nginx lets 16 requests in at once; each login checks a password
        // (argon2id, tens of milliseconds), so the burst outlasts its own sending.
        $this->start(['PHP_FPM_WORKERS' => '1']);
        $burst = 64;
        $sockets = [];
        for ($i = 0; $i < $burst; $i++) {
            $body = json_encode(['email' => "shed$i@example.com", 'password' => 'not the password 123']);
            $sockets[] = $this->send("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                . "Content-Type: application/json\r\nContent-Length: " . strlen($body) . "\r\n"
                . "Connection: close\r\n\r\n$body");
        }
        // /health has a worker of its own: it does not wait behind the logins, and is never shed.
        $started = microtime(true);
        [$health] = $this->raw("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        $healthSeconds = microtime(true) - $started;
        $readable = $sockets;
        $none = null;
        $answeredBeforeHealth = (int) stream_select($readable, $none, $none, 0);
        $statuses = [];
        foreach ($sockets as $socket) {
            [$status, $headers, $body] = $this->receive($socket);
            $statuses[] = $status;
            if ($status === 503) {
                // Shed by nginx: the API's problem format, when to come back, the usual headers.
                $this->assertSame('application/problem+json', $headers['content-type'] ?? '');
                $this->assertSame(503, json_decode($body, true)['status'] ?? null);
                $this->assertSame('1', $headers['retry-after'] ?? '');
                $this->assertSame('nosniff', $headers['x-content-type-options'] ?? '');
            }
        }
        $shed = count(array_filter($statuses, static fn (int $status): bool => $status === 503));
        $this->assertSame(200, $health);
        $this->assertLessThan(1.0, $healthSeconds, '/health took too long during the burst');
        // Every shed request was answered at once: only a few logins can have finished by then.
        $this->assertLessThanOrEqual(8, $answeredBeforeHealth - $shed, '/health waited for the queued logins');
        $this->assertGreaterThanOrEqual(16, $shed, 'statuses: ' . implode(' ', $statuses));
        // The rest were served: wrong passwords (401), or 429 once this address failed 30 times.
        $this->assertSame([], array_diff($statuses, [401, 429, 503]), implode(' ', $statuses));
        // And right after the burst, the app answers again.
        $this->assertSame(401, $this->request('GET', '/api/v1/auth/me')[0]);
    }

    public function testRefusesMoreWorkersThanFitIn512MiB(): void
    {
        $status = $this->refusal(['PHP_FPM_WORKERS' => '9', 'JWT_SECRET' => bin2hex(random_bytes(32))]);
        $this->assertNotSame(0, $status['exitcode']);
        $this->assertStringContainsString('PHP_FPM_WORKERS', (string) file_get_contents($this->log()));
    }

    public function testRefusesAPlaceholderSecret(): void
    {
        $status = $this->refusal(['JWT_SECRET' => self::PLACEHOLDER]);
        $this->assertNotSame(0, $status['exitcode']);
        $this->assertStringContainsString('JWT_SECRET', (string) file_get_contents($this->log()));
    }

    /**
     * Runs bin/serve in production with `$env` and expects it to stop by itself, before it serves.
     *
     * @param array<string, string> $env
     * @return array{running: bool, exitcode: int}
     */
    private function refusal(array $env): array
    {
        $this->process = proc_open(
            [AppFactory::PROJECT_ROOT . '/bin/serve'],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', $this->log(), 'w'], 2 => ['file', $this->log(), 'a']],
            $this->pipes,
            AppFactory::PROJECT_ROOT,
            [
                ...getenv(),
                ...array_fill_keys(Settings::VARIABLES, ''),
                'APP_ENV' => 'production',
                'PORT' => (string) self::freePort(),
                'TMPDIR' => $this->dir,
                ...$env,
            ],
        );
        $deadline = microtime(true) + 20;
        while (($status = proc_get_status($this->process))['running'] && microtime(true) < $deadline) {
            usleep(50_000);
        }
        // Still running means it started (tearDown() stops it).
        $this->assertFalse($status['running'], 'bin/serve started: ' . file_get_contents($this->log()));
        return $status;
    }

    /**
     * Sends SIGTERM and waits up to 15 s.
     *
     * @return array{running: bool, exitcode: int}
     */
    private function stop(): array
    {
        $process = $this->process ?? throw new \LogicException('not started');
        proc_terminate($process, 15);
        $deadline = microtime(true) + 15;
        while (($status = proc_get_status($process))['running'] && microtime(true) < $deadline) {
            usleep(50_000);
        }
        if ($status['running']) {
            proc_terminate($process, 9);
        }
        return $status;
    }

    /** Sends `$signal` to bin/serve's process group (to bin/serve alone without setsid). */
    private function signal(int $signal): void
    {
        $process = $this->process ?? throw new \LogicException('not started');
        $pid = proc_get_status($process)['pid'];
        posix_kill(posix_getpgid($pid) === $pid ? -$pid : $pid, $signal);
    }

    /**
     * Waits up to `$seconds` for bin/serve to exit (killing it if it does not), and reaps it.
     *
     * @return array{running: bool, exitcode: int, signaled: bool, termsig: int}
     */
    private function waitForExit(int $seconds): array
    {
        $process = $this->process ?? throw new \LogicException('not started');
        $deadline = microtime(true) + $seconds;
        while (($status = proc_get_status($process))['running'] && microtime(true) < $deadline) {
            usleep(20_000);
        }
        $this->process = null;
        if ($status['running']) {
            proc_terminate($process, 9);
            proc_close($process);
            $this->fail("bin/serve still runs $seconds s after SIGTERM: " . file_get_contents($this->log()));
        }
        proc_close($process);
        return $status;
    }

    /**
     * Sends `$request` as it is, byte for byte, and reads the answer until the server closes.
     *
     * @return array{0: int, 1: array<string, string>, 2: string} status, headers (lower-cased names), body
     */
    private function raw(string $request): array
    {
        return $this->receive($this->send($request));
    }

    /** @return resource a connection on which `$request` was sent */
    private function send(string $request)
    {
        $socket = stream_socket_client('tcp://' . substr($this->baseUrl, strlen('http://')), $errno, $error, 5);
        $this->assertIsResource($socket, $error);
        fwrite($socket, $request);
        return $socket;
    }

    /**
     * Reads the answer on `$socket` until the server closes it (status 0 when there is none).
     *
     * @param resource $socket
     * @return array{0: int, 1: array<string, string>, 2: string} status, headers (lower-cased names), body
     */
    private function receive($socket): array
    {
        stream_set_timeout($socket, 30);
        $response = (string) stream_get_contents($socket);
        fclose($socket);
        [$head, $body] = explode("\r\n\r\n", $response, 2) + [1 => ''];
        $lines = explode("\r\n", $head);
        $headers = [];
        foreach (array_slice($lines, 1) as $line) {
            [$name, $value] = array_map('trim', explode(':', $line, 2)) + [1 => ''];
            $headers[strtolower($name)] = $value;
        }
        return [(int) (explode(' ', $lines[0])[1] ?? 0), $headers, $body];
    }

    private function log(): string
    {
        return $this->dir . '/out.log';
    }

    private static function freePort(): int
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        if ($socket === false) {
            throw new \RuntimeException('no free port');
        }
        $port = (int) substr((string) strrchr((string) stream_socket_get_name($socket, false), ':'), 1);
        fclose($socket);
        return $port;
    }

    private static function findFpm(): ?string
    {
        return self::findProgram(['php-fpm', 'php-fpm' . PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION]);
    }

    /** @param list<string> $names */
    private static function findProgram(array $names): ?string
    {
        foreach ($names as $name) {
            exec('command -v ' . escapeshellarg($name) . ' 2>/dev/null', $output, $status);
            if ($status === 0) {
                return $output[0];
            }
            foreach (['/usr/local/sbin', '/usr/sbin', '/sbin'] as $dir) {
                if (is_executable("$dir/$name")) {
                    return "$dir/$name";
                }
            }
        }
        return null;
    }
}
