import type { Mutant } from './mutant.js';

/** Mistakes a maintainer could make in a generated Node project; its `npm test` must catch each. */
export const mutants: Mutant[] = [
  // Owner isolation
  {
    name: 'notes list forgets the owner filter',
    file: 'src/repositories/notes.ts',
    find: '       FROM notes WHERE owner_id = ? ORDER BY id LIMIT ? OFFSET ?`',
    replace: '       FROM notes WHERE ? IS NOT NULL ORDER BY id LIMIT ? OFFSET ?`',
  },
  {
    name: 'tasks list forgets the owner filter',
    file: 'src/repositories/tasks.ts',
    find: '       FROM tasks WHERE owner_id = ? ORDER BY id LIMIT ? OFFSET ?`',
    replace: '       FROM tasks WHERE ? IS NOT NULL ORDER BY id LIMIT ? OFFSET ?`',
  },
  {
    name: 'a page past the end reports a total of 0',
    file: 'src/repositories/notes.ts',
    find: '    const total = rows[0]?.total ?? (offset === 0 ? 0 : await this.#count(ownerId));',
    replace: '    const total = rows[0]?.total ?? 0;',
  },
  {
    name: 'get forgets the owner filter',
    file: 'src/repositories/notes.ts',
    find: '`SELECT ${COLUMNS} FROM notes WHERE id = ? AND owner_id = ?`',
    replace: '`SELECT ${COLUMNS} FROM notes WHERE id = ? AND ? IS NOT NULL`',
  },
  {
    name: 'patch forgets the owner filter',
    file: 'src/repositories/notes.ts',
    find: 'WHERE id = ? AND owner_id = ? RETURNING ${COLUMNS}`',
    replace: 'WHERE id = ? AND ? IS NOT NULL RETURNING ${COLUMNS}`',
  },
  {
    name: 'delete forgets the owner filter',
    file: 'src/repositories/notes.ts',
    find: "'DELETE FROM notes WHERE id = ? AND owner_id = ? RETURNING id'",
    replace: "'DELETE FROM notes WHERE id = ? AND ? IS NOT NULL RETURNING id'",
  },

  // Tokens
  {
    name: 'algorithm pin dropped (the header may name any algorithm)',
    file: 'src/auth/tokens.ts',
    find: '    if (head?.alg !== ALGORITHM || head.crit !== undefined) return undefined;\n',
    replace: '    if (head?.crit !== undefined) return undefined;\n',
  },
  {
    name: 'signature not checked',
    file: 'src/auth/tokens.ts',
    find: "    if (!sameText(signature, this.#sign(`${header}.${body}`))) return undefined;\n",
    replace: '',
  },
  {
    name: 'aud check dropped',
    file: 'src/auth/tokens.ts',
    find: '    if (!audienceIncludes(claims.aud, this.#audience)) return undefined;\n',
    replace: '',
  },
  {
    name: 'iss check dropped',
    file: 'src/auth/tokens.ts',
    find: '    if (claims.iss !== this.#issuer) return undefined;\n',
    replace: '',
  },
  {
    name: 'expiry not checked',
    file: 'src/auth/tokens.ts',
    find: '    if (exp <= now) return undefined;\n',
    replace: '',
  },
  {
    name: 'iat in the future accepted',
    file: 'src/auth/tokens.ts',
    find: '    if (iat > now) return undefined;\n',
    replace: '',
  },
  {
    name: 'nbf not checked',
    file: 'src/auth/tokens.ts',
    find: '    if (nbf !== undefined && !(isWholeSeconds(nbf) && nbf <= now)) return undefined;\n',
    replace: '',
  },
  {
    name: 'token lifetime cap (exp - iat) dropped',
    file: 'src/auth/tokens.ts',
    find: '    if (exp - iat > this.ttlSeconds) return undefined;\n',
    replace: '',
  },
  {
    name: 'fractional exp / iat accepted',
    file: 'src/auth/tokens.ts',
    find: '    if (!isWholeSeconds(iat) || !isWholeSeconds(exp)) return undefined;\n',
    replace: "    if (typeof iat !== 'number' || typeof exp !== 'number') return undefined;\n",
  },
  {
    name: 'token of a deleted user still accepted',
    file: 'src/auth/authenticate.ts',
    find: '    if (userId === undefined || !(await users.exists(userId))) {',
    replace: '    if (userId === undefined) {',
  },
  {
    name: 'first of two Authorization headers taken',
    file: 'src/auth/authenticate.ts',
    find: '  return count === 1 ? request.headers.authorization : undefined;',
    replace: '  return request.headers.authorization;',
  },

  // Login throttle and other limits
  {
    name: 'login throttle disabled',
    file: 'src/routes/auth.ts',
    find: '      const accountWait = await limited(request, () => limiters.loginPerAccount.take(account));',
    replace: '      const accountWait = 0;',
  },
  {
    name: 'throttle keyed on a client-supplied X-Forwarded-For',
    file: 'src/app.ts',
    find: '    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,',
    replace: '    trustProxy: true,',
  },
  {
    name: 'TRUSTED_PROXIES entries not validated (a typo trusts nobody, silently)',
    file: 'src/config.ts',
    find: '    if (!isAddressRange(entry)) {',
    replace: '    if (entry.length < 0) {',
  },
  {
    name: 'rate limits fail open when Redis does not answer',
    file: 'src/auth/redis-throttle.ts',
    find: '      throw new RateLimitUnavailableError({ cause: error });\n    }\n    return waitMs',
    replace: '      return 0;\n    }\n    return waitMs',
  },
  {
    name: 'a store error is answered 500 instead of 503 with Retry-After',
    file: 'src/routes/auth.ts',
    find: '    if (!(error instanceof RateLimitUnavailableError)) throw error;',
    replace: '    throw error;',
  },
  {
    name: 'dummy hash for unknown emails skipped',
    file: 'src/routes/auth.ts',
    find: '        : await passwords.verifyDummy(request.body.password);',
    replace: '        : false;',
  },
  {
    name: 'a successful login still counts as a failure',
    file: 'src/routes/auth.ts',
    find: '        await limiters.loginPerAccount.giveBack(account);\n        await limiters.loginPerClient.giveBack(client);\n',
    replace: '',
  },
  {
    name: 'per-client cap on failed logins dropped',
    file: 'src/routes/auth.ts',
    find: '      const clientWait = await limited(request, () => limiters.loginPerClient.take(client));',
    replace: '      const clientWait = 0;',
  },
  {
    name: 'registration limit dropped',
    file: 'src/routes/auth.ts',
    find: '        limiters.registrationPerClient.take(request.ip),',
    replace: '        0,',
  },

  // Start-up and shutdown
  {
    name: 'starts listening after a SIGTERM during start-up',
    file: 'src/run.ts',
    find: '    if (!stopping()) {\n      await app.listen(',
    replace: '    {\n      await app.listen(',
  },
  {
    name: 'keep-alive connections hold a shutdown open until the grace period ends',
    file: 'src/app.ts',
    find: '  drainOnClose(app);\n',
    replace: '',
  },

  // Input validation
  {
    name: 'unknown-field rejection dropped',
    file: 'src/routes/schemas.ts',
    find: "export const registerBodySchema = {\n  type: 'object',\n  additionalProperties: false,\n",
    replace: "export const registerBodySchema = {\n  type: 'object',\n",
  },
  {
    name: 'body limit raised',
    file: 'src/config.ts',
    find: 'export const BODY_LIMIT_BYTES = 1_048_576;',
    replace: 'export const BODY_LIMIT_BYTES = 10_485_760;',
  },
  {
    name: 'pagination maximum raised',
    file: 'src/routes/crud.ts',
    find: 'maximum: 100, default: 20',
    replace: 'maximum: 1000, default: 20',
  },
  {
    name: 'offset maximum raised beyond 32 bits',
    file: 'src/routes/crud.ts',
    find: 'maximum: 2_147_483_647, default: 0',
    replace: 'maximum: Number.MAX_SAFE_INTEGER, default: 0',
  },
  {
    name: 'email syntax not checked (non-ASCII and overlong emails stored)',
    file: 'src/http/validation.ts',
    find: '  (value: string) => value.length <= MAX_EMAIL_LENGTH && EMAIL.test(value),',
    replace: "  (value: string) => value.includes('@'),",
  },
  {
    name: 'NUL accepted in passwords',
    file: 'src/routes/schemas.ts',
    find: "export const NO_NUL = '^[^\\\\u0000]*$';",
    replace: "export const NO_NUL = '^';",
  },
  {
    name: 'JSON in any charset accepted',
    file: 'src/http/validation.ts',
    find: "    if (charset !== undefined && charset !== 'utf-8') {",
    replace: '    if (charset === undefined && charset !== undefined) {',
  },
  {
    name: 'validation errors not capped at 20',
    file: 'src/http/errors.ts',
    find: 'error.validation.slice(0, MAX_FIELD_ERRORS)',
    replace: 'error.validation',
  },
  {
    name: 'common-password check dropped',
    file: 'src/routes/auth.ts',
    find: '      const weakness = passwordPolicy.problem(request.body.password, email);',
    replace: "      const weakness = '';",
  },
  {
    name: 'weak password hashing (argon2 memory lowered)',
    file: 'src/auth/passwords.ts',
    find: '  memoryCost: 19_456,',
    replace: '  memoryCost: 1_024,',
  },

  // Headers and what the router answers
  {
    name: 'one security header dropped (X-Frame-Options)',
    file: 'src/http/security.ts',
    find: "  'x-frame-options': 'DENY',\n",
    replace: '',
  },
  {
    name: 'no-store judged on the raw, undecoded path',
    file: 'src/http/security.ts',
    find: "  return decoded.replace(/\\/{2,}/g, '/').startsWith('/api/');",
    replace: "  return path.startsWith('/api/');",
  },
  {
    name: 'CORS reflects any origin',
    file: 'src/http/security.ts',
    find: '      callback(null, origin !== undefined && allowedOrigins.has(origin) ? origin : false);',
    replace: '      callback(null, origin ?? false);',
  },
  {
    name: 'unrouted requests answered after body parsing (QUERY gets 400, not 405)',
    file: 'src/app.ts',
    find: "  app.addHook('onRequest', answerUnrouted(app));\n",
    replace: '',
  },
  {
    name: "router errors left to Fastify's default answer",
    file: 'src/app.ts',
    find: '    frameworkErrors: routerErrorHandler(headers),\n',
    replace: '',
  },
  {
    name: "client errors (unknown methods, 431) left to Fastify's default answer",
    file: 'src/app.ts',
    find: '    clientErrorHandler: clientErrorHandler(() => app, headers),\n',
    replace: '',
  },

  // Configuration
  {
    name: 'placeholder secret refusal dropped',
    file: 'src/config.ts',
    find: "  if (PLACEHOLDER_MARKERS.some((marker) => lower.includes(marker))) return 'is a placeholder';\n",
    replace: '',
  },
  {
    name: 'low-variety secret (48 x "a") accepted',
    file: 'src/config.ts',
    find: '  if (new Set(value).size < MIN_SECRET_DISTINCT_CHARACTERS) {',
    replace: '  if (value.length < 0) {',
  },

  // Backups
  {
    name: 'restore skips the backup checksum',
    file: 'ops/backup/restore.sh',
    find: 'verify_checksum "$backup"',
    replace: ': verify_checksum "$backup"',
  },

  // Docs page and the OpenAPI document
  {
    name: 'docs page CSP allows inline scripts',
    file: 'src/routes/docs.ts',
    find: `"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +`,
    replace: `"default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +`,
  },
  {
    name: 'docs page and document on by default in production',
    file: 'src/config.ts',
    find: "openapiEnabled: boolean(env, 'OPENAPI_ENABLED', !production, problems),",
    replace: "openapiEnabled: boolean(env, 'OPENAPI_ENABLED', true, problems),",
  },
  {
    name: 'a route missing from openapi.json',
    file: 'src/routes/health.ts',
    find: '  // Liveness: the process answers; deliberately independent of the database, answered even',
    replace: "  app.get('/version', () => ({ version: '1' })); // Liveness",
  },
  // Bounded under load
  {
    name: 'no load shedding when the event loop is saturated',
    file: 'src/http/overload.ts',
    find: '  if (maxEventLoopDelayMs === 0) return;\n',
    replace: '  if (maxEventLoopDelayMs > 0) return;\n',
  },
  {
    name: 'a flood of connections not shed (a health probe waits behind it for seconds)',
    file: 'src/http/overload.ts',
    find: '  shedConnectionFloods(app);\n',
    replace: '',
  },
  {
    name: '/health shed with everything else under pressure',
    file: 'src/routes/health.ts',
    find: '{ schema, config: ALWAYS_ANSWER, childLoggerFactory: () => probeLog }',
    replace: '{ schema, childLoggerFactory: () => probeLog }',
  },
  {
    name: 'password hashes not bounded (a login burst holds 19 MiB per login)',
    file: 'src/auth/passwords.ts',
    find: '    return this.#slots.run(() => verify(passwordHash, password));',
    replace: '    return verify(passwordHash, password);',
  },
  {
    name: 'no request timeout (a slow client holds its connection forever)',
    file: 'src/app.ts',
    find: '    requestTimeout: SERVER_TIMEOUTS.requestTimeoutMs,\n',
    replace: '',
  },
  {
    name: 'SQLite waits for the disk on every commit',
    file: 'src/db/sqlite.ts',
    find: "  'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; ' +",
    replace: "  'PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; ' +",
  },
  {
    name: 'log redaction dropped',
    file: 'src/app.ts',
    find: "        censor: '[redacted]',\n",
    replace: "        censor: (value: unknown) => value,\n",
  },
  // Authentication event log (on with --sensitive-data yes, AUTH_EVENT_LOG=true otherwise)
  {
    name: 'a failed login is not logged',
    file: 'src/routes/auth.ts',
    find: "        events.record(request, 'login.failed');\n",
    replace: '',
  },
  {
    name: 'a rejected token is not logged',
    file: 'src/auth/authenticate.ts',
    find: "events.record(request, 'token.rejected', userId);",
    replace: 'void userId;',
  },
];
