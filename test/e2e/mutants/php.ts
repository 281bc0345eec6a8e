import type { Mutant } from './mutant.js';

/**
 * Planted faults for a generated PHP project (notes and Task, SQLite): each must make
 * `composer test` fail. The server-level ones (bin/serve) are caught by tests/ServerTest.php,
 * which runs php-fpm behind nginx.
 */
export const mutants: Mutant[] = [
  {
    name: 'list forgets the owner filter',
    file: 'src/Notes/NoteRepository.php',
    find: "' WHERE owner_id = ? ORDER BY id LIMIT ? OFFSET ?',",
    replace: "' WHERE ? > 0 ORDER BY id LIMIT ? OFFSET ?',",
  },
  {
    name: 'get forgets the owner filter',
    file: 'src/Notes/NoteRepository.php',
    find: "                . ' WHERE id = ? AND owner_id = ?',",
    replace: "                . ' WHERE id = ? AND ? > 0',",
  },
  {
    name: 'patch forgets the owner filter',
    file: 'src/Tasks/TaskRepository.php',
    find: "' WHERE id = ? AND owner_id = ? RETURNING '",
    replace: "' WHERE id = ? AND ? > 0 RETURNING '",
  },
  {
    name: 'delete forgets the owner filter',
    file: 'src/Tasks/TaskRepository.php',
    find: "'DELETE FROM tasks WHERE id = ? AND owner_id = ?',",
    replace: "'DELETE FROM tasks WHERE id = ? AND ? > 0',",
  },
  {
    name: 'algorithm pin dropped: the token header chooses the algorithm',
    file: 'src/Auth/Tokens.php',
    find: 'new Key($this->settings->jwtSecret, self::ALGORITHM)',
    replace: "new Key($this->settings->jwtSecret, JWT::jsonDecode(JWT::urlsafeB64Decode(explode('.', $token)[0]))->alg)",
  },
  {
    name: 'aud check dropped',
    file: 'src/Auth/Tokens.php',
    find: '|| !in_array($this->settings->jwtAudience, $audiences, true)',
    replace: '|| false',
  },
  {
    name: 'iss check dropped',
    file: 'src/Auth/Tokens.php',
    find: "($claims['iss'] ?? null) !== $this->settings->jwtIssuer",
    replace: 'false',
  },
  {
    name: 'expiry not checked',
    file: 'src/Auth/Tokens.php',
    find: 'JWT::$leeway = self::LEEWAY_SECONDS;',
    replace: 'JWT::$leeway = 10 ** 9;',
  },
  {
    name: 'token lifetime cap (exp - iat) dropped',
    file: 'src/Auth/Tokens.php',
    find: '|| $exp - $iat > $this->settings->jwtTtlSeconds',
    replace: '|| false',
  },
  {
    name: 'numeric-string exp and iat accepted',
    file: 'src/Auth/Tokens.php',
    find: '|| !is_int($iat) || !is_int($exp)',
    replace: '|| !is_numeric($iat) || !is_numeric($exp)',
  },
  {
    name: 'two Authorization headers: the first one wins',
    file: 'src/Auth/Authenticate.php',
    find: '$valid = count($headers) === 1 && ',
    replace: '$valid = ',
  },
  {
    name: "a deleted user's token still opens everything",
    file: 'src/Auth/Authenticate.php',
    find: '$user = $userId === null ? null : $this->users->find($userId);',
    replace: "$user = $userId === null ? null : ($this->users->find($userId) ?? ['id' => $userId, 'email' => '']);",
  },
  {
    name: 'login throttle disabled',
    file: 'src/Auth/AuthController.php',
    find: '$retryAfter = $this->throttle->attempt($client, $email);',
    replace: '$retryAfter = null;',
  },
  {
    name: 'throttle keyed on a client-supplied X-Forwarded-For',
    file: 'src/Http/ClientIp.php',
    find: '$client = $request->getAttribute(TrustedProxies::CLIENT_IP);',
    replace: "$client = $request->getHeaderLine('X-Forwarded-For') ?: $request->getAttribute(TrustedProxies::CLIENT_IP);",
  },
  {
    name: 'TRUSTED_PROXIES ignored: X-Forwarded-For believed from any peer',
    file: 'src/Http/TrustedProxies.php',
    find: 'if ($this->isTrusted($peer)) {',
    replace: 'if (true) {',
  },
  {
    name: 'a Redis error lets the attempt through uncounted (fails open)',
    file: 'src/Auth/RedisRateLimiter.php',
    find: '            throw new RateLimitUnavailable();',
    replace: '            return null;',
  },
  {
    name: 'Redis rate-limit keys without expiry (a count would never age out)',
    file: 'src/Auth/RedisRateLimiter.php',
    find: "            redis.call('PEXPIRE', KEYS[1], ttl)",
    replace: '',
  },
  {
    name: 'SIGTERM stops nginx at once, dropping the requests in flight',
    file: 'bin/serve',
    find: 'while kill -QUIT "$pid" 2>/dev/null; do',
    replace: 'while kill -TERM "$pid" 2>/dev/null; do',
  },
  {
    name: 'nginx in the script\'s process group: a group SIGTERM drops the requests in flight',
    file: 'bin/serve',
    find: '  launcher+=(setsid)',
    replace: '  :',
  },
  {
    name: 'SIGTERM not trapped: the script dies with 143 and leaves its servers to die uncleanly',
    file: 'bin/serve',
    find: "trap 'stopping=1' TERM INT",
    replace: '',
  },
  {
    name: 'per-IP cap across emails dropped',
    file: 'src/Auth/LoginThrottle.php',
    find: '            self::CLIENT_ATTEMPTS,',
    replace: '            PHP_INT_MAX,',
  },
  {
    name: 'registration limit dropped',
    file: 'src/Auth/AuthController.php',
    find: '$retryAfter = $this->registrations->attempt(ClientIp::of($request));',
    replace: '$retryAfter = null;',
  },
  {
    name: 'dummy hash for unknown emails skipped',
    file: 'src/Auth/AuthController.php',
    find: "if (!$this->passwords->verify($user['password_hash'] ?? null, $password) || $user === null) {",
    replace: "if ($user === null || !$this->passwords->verify($user['password_hash'], $password)) {",
  },
  {
    name: 'email syntax not checked on registration',
    file: 'src/Auth/AuthController.php',
    find: 'if (preg_match(self::EMAIL, $email) !== 1) {',
    replace: "if (preg_match('/@/', $email) !== 1) {",
  },
  {
    name: 'common-password check dropped',
    file: 'src/Auth/PasswordPolicy.php',
    find: 'if (isset($this->common()[$lowered])) {',
    replace: 'if (false) {',
  },
  {
    name: 'weak password hashing (argon2id parameters lowered)',
    file: 'src/Auth/Passwords.php',
    find: "public const OPTIONS = ['memory_cost' => 19456, 'time_cost' => 2, 'threads' => 1];",
    replace: "public const OPTIONS = ['memory_cost' => 1024, 'time_cost' => 1, 'threads' => 1];",
  },
  {
    name: 'unknown-field rejection dropped',
    file: 'src/Validation/Validator.php',
    find: 'if (!isset($known[$name])) {',
    replace: 'if (false) {',
  },
  {
    name: 'validation errors no longer capped',
    file: 'src/Http/Problem.php',
    find: 'array_slice($errors, 0, self::MAX_ERRORS)',
    replace: '$errors',
  },
  {
    name: 'any charset read as UTF-8',
    file: 'src/Http/Json.php',
    find: "if (strtolower($name) === 'charset' && strtolower(trim($value, '\"')) !== 'utf-8') {",
    replace: 'if (false) {',
  },
  {
    name: 'body limit raised',
    file: 'src/Http/BodyLimit.php',
    find: 'public const MAX_BYTES = 1024 * 1024;',
    replace: 'public const MAX_BYTES = 1024 * 1024 * 1024;',
  },
  {
    name: 'pagination maximum raised',
    file: 'src/Http/Pagination.php',
    find: 'public const MAX_LIMIT = 100;',
    replace: 'public const MAX_LIMIT = 1000;',
  },
  {
    name: 'offset no longer capped at 2^31 - 1',
    file: 'src/Http/Pagination.php',
    find: "self::integer($query, 'offset', 0, 0, self::MAX_OFFSET, $errors);",
    replace: "self::integer($query, 'offset', 0, 0, PHP_INT_MAX, $errors);",
  },
  {
    name: 'ids past 2^53 - 1 reach the database',
    file: 'src/Http/Pagination.php',
    find: ' || (int) $raw > self::MAX_ID',
    replace: '',
  },
  {
    name: 'one security header dropped',
    file: 'src/Http/SecurityHeaders.php',
    find: "        'X-Frame-Options' => 'DENY',",
    replace: '',
  },
  {
    name: 'Cache-Control: no-store only on the literal /api/ path',
    file: 'src/Http/SecurityHeaders.php',
    find: 'str_starts_with(rawurldecode($request->getUri()->getPath()), ',
    replace: 'str_starts_with($request->getUri()->getPath(), ',
  },
  {
    name: 'CORS reflects any origin',
    file: 'src/Http/Cors.php',
    find: '$allowed = in_array($origin, $this->origins, true);',
    replace: "$allowed = $origin !== '';",
  },
  {
    name: 'placeholder secrets accepted in production',
    file: 'src/Settings.php',
    find: 'if ($problem !== null && ($this->isProduction() || strlen($jwtSecret) < self::MIN_SECRET_LENGTH)) {',
    replace: 'if ($problem !== null && strlen($jwtSecret) < self::MIN_SECRET_LENGTH) {',
  },
  {
    name: 'secrets with few distinct characters accepted',
    file: 'src/Settings.php',
    find: 'if (count(array_unique(str_split($value))) < self::MIN_SECRET_DISTINCT_CHARACTERS) {',
    replace: 'if (false) {',
  },
  {
    name: 'nginx answers its own errors without the security headers',
    file: 'bin/serve',
    find: 'add_header X-Frame-Options DENY always;',
    replace: 'add_header X-Frame-Options DENY;',
  },
  {
    name: 'nginx answers TRACE and CONNECT itself',
    file: 'bin/serve',
    find: 'error_page 405 = @app;',
    replace: '',
  },
  {
    name: 'delete answers 204 whatever its row count',
    file: 'src/Tasks/TaskRepository.php',
    find: 'return $deleted > 0;',
    replace: 'return true;',
  },
  {
    name: 'the /health probe answers without the security headers',
    file: 'src/AppFactory.php',
    find: '        $probe->addMiddleware(new SecurityHeaders(hsts: $settings->isProduction()));',
    replace: '',
  },
  {
    name: 'the /health probe answers any method, skipping the app\'s 405',
    file: 'src/Meta/HealthProbe.php',
    find: "return ($server['REQUEST_METHOD'] ?? null) === 'GET'",
    replace: 'return true',
  },
  {
    name: 'a path starting with // is served as the path without it',
    file: 'src/AppFactory.php',
    find: '$app->add(new LeadingSlashes());',
    replace: '',
  },
  {
    name: 'a JWT header of the wrong JSON type is a 500',
    file: 'src/Auth/Tokens.php',
    find: '} catch (\\Exception | \\TypeError) {',
    replace: '} catch (\\Exception) {',
  },
  {
    name: 'registration trims the email',
    file: 'src/Auth/AuthController.php',
    find: "        $email = (string) $input['email'];",
    replace: "        $email = trim((string) $input['email']);",
  },
  {
    name: 'a password equal to the email is accepted',
    file: 'src/Auth/PasswordPolicy.php',
    find: 'if ($lowered === $email) {',
    replace: 'if (false) {',
  },
  {
    name: 'nginx answers two Authorization headers with a 400',
    file: 'bin/serve',
    find: 'error_page 400 = \\$bad_request;',
    replace: 'error_page 400 /.problem/400;',
  },
  {
    name: 'a route is added without being documented in openapi.json',
    file: 'src/AppFactory.php',
    find: "        $app->get('/ready', [MetaController::class, 'ready']);",
    replace:
      "        $app->get('/ready', [MetaController::class, 'ready']);\n" +
      "        $app->get('/version', [MetaController::class, 'health']);",
  },
  // The docs page (GET /docs)
  {
    name: 'docs page values no longer escaped',
    file: 'src/Meta/DocsPage.php',
    find: "return htmlspecialchars(self::text($value), ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');",
    replace: 'return self::text($value);',
  },
  {
    name: 'docs page served with OPENAPI_ENABLED off (production)',
    file: 'src/Meta/MetaController.php',
    find: '        // The page shows the document, so it is served exactly when the document is.\n        if (!$this->settings->openApiEnabled) {',
    replace: '        if (false) {',
  },
  {
    name: 'docs page CSP allows inline scripts',
    file: 'src/Meta/DocsPage.php',
    find: "return \"default-src 'none'; style-src",
    replace: "return \"default-src 'none'; script-src 'self' 'unsafe-inline'; style-src",
  },
  {
    name: "the deny-all CSP overwrites the docs page's own (its styles are refused)",
    file: 'src/Http/SecurityHeaders.php',
    find: "if ($name === 'Content-Security-Policy' && $response->hasHeader($name)) {",
    replace: 'if (false) {',
  },
  {
    name: 'restore skips the backup checksum',
    file: 'ops/backup/restore.sh',
    find: 'verify_checksum "$backup"',
    replace: ': verify_checksum "$backup"',
  },
  // Performance and overload (bin/serve, SQLite, the list)
  {
    name: 'SQLite fsyncs every commit again (synchronous = FULL)',
    file: 'src/Database/Database.php',
    find: 'PRAGMA synchronous = NORMAL;',
    replace: 'PRAGMA synchronous = FULL;',
  },
  {
    name: 'a page of the list counts in a query of its own',
    file: 'src/Notes/NoteRepository.php',
    find: "        $rows = $this->db->all(\n            'SELECT ' . self::columns() . ', count(*) OVER () AS total FROM notes'",
    replace:
      "        $this->db->one('SELECT count(*) AS total FROM notes WHERE owner_id = ?', [$ownerId]);\n" +
      "        $rows = $this->db->all(\n            'SELECT ' . self::columns() . ', count(*) OVER () AS total FROM notes'",
  },
  {
    name: '/health queues behind the app workers (no worker of its own)',
    file: 'bin/serve',
    find: '            fastcgi_pass unix:$run/php-fpm-probes.sock;',
    replace: '            fastcgi_pass unix:$run/php-fpm.sock;',
  },
  {
    name: 'shed requests are not told when to retry',
    file: 'bin/serve',
    find: 'retry after the time in Retry-After.|Retry-After 1',
    replace: 'retry after the time in Retry-After.|',
  },
  {
    name: 'no bound on php-fpm workers (memory)',
    file: 'bin/serve',
    find: 'MAX_WORKERS=8',
    replace: 'MAX_WORKERS=800',
  },
  {
    name: 'OPcache checks every file at every request',
    file: 'config/php.ini',
    find: 'opcache.validate_timestamps = 0',
    replace: 'opcache.validate_timestamps = 1',
  },
  // Authentication event log (on with --sensitive-data yes, AUTH_EVENT_LOG=true otherwise)
  {
    name: 'a failed login is not logged',
    file: 'src/Auth/AuthController.php',
    find: "            $this->events->record('login.failed', $request);\n",
    replace: '',
  },
  {
    name: 'a rejected token is not logged',
    file: 'src/Auth/Authenticate.php',
    find: "            $this->events->record('token.rejected', $request, $userId);\n",
    replace: '',
  },
];
