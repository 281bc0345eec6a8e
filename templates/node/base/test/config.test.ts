import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  ConfigError,
  DEFAULT_AUTH_EVENT_LOG,
  DEFAULT_TOKEN_TTL_SECONDS,
  loadConfig,
  loadDotEnv,
} from '../src/config.js';
import { projectRoot } from '../src/paths.js';

const GOOD_SECRET = 'vT3q9ZkXw2LmN8pR5sYbC7dF1gH4jK6u';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

// The token issuer and audience default to the project's name.
const { name: PROJECT_NAME } = JSON.parse(
  readFileSync(join(projectRoot, 'package.json'), 'utf8'),
) as { name: string };

/** What an empty environment gives, whatever the developer's .env says (it is not read here). */
const DEFAULTS = {
  host: '127.0.0.1',
  port: 8000,
  databaseUrl: 'sqlite:///data/app.db',
  corsOrigins: [],
  logLevel: 'info',
  bodyLimitBytes: 1_048_576,
  jwt: { issuer: PROJECT_NAME, audience: PROJECT_NAME, ttlSeconds: DEFAULT_TOKEN_TTL_SECONDS },
  authEventLog: DEFAULT_AUTH_EVENT_LOG,
  limits: {
    loginPerAccount: { limit: 5, windowSeconds: 60 },
    loginPerClient: { limit: 30, windowSeconds: 900 },
    registrationPerClient: { limit: 10, windowSeconds: 3600 },
  },
  // One instance on its own: limits in memory, no proxy believed, 25 s to drain on SIGTERM.
  redisUrl: undefined,
  trustedProxies: [],
  shutdownGraceSeconds: 25,
  // Requests are shed with 503 once the event loop lags 200 ms on average.
  maxEventLoopDelayMs: 200,
};

describe('loadConfig', () => {
  it('has development defaults from an empty environment', () => {
    const { config, warnings } = loadConfig({});
    expect(config).toEqual({
      ...DEFAULTS,
      appEnv: 'development',
      openapiEnabled: true,
      hsts: false,
      jwt: { ...DEFAULTS.jwt, secret: expect.any(String) },
    });
    expect(config.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(warnings.join()).toContain('JWT_SECRET');
  });

  it('has production defaults: HSTS on, the OpenAPI document off', () => {
    const { config, warnings } = loadConfig({ APP_ENV: 'production', JWT_SECRET: GOOD_SECRET });
    expect(config).toEqual({
      ...DEFAULTS,
      appEnv: 'production',
      openapiEnabled: false,
      hsts: true,
      jwt: { ...DEFAULTS.jwt, secret: GOOD_SECRET },
    });
    expect(warnings).toEqual([]);
    expect(
      loadConfig({ APP_ENV: 'production', JWT_SECRET: GOOD_SECRET, OPENAPI_ENABLED: 'true' }).config
        .openapiEnabled,
    ).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['short', 'a'.repeat(31)],
    ['one character repeated', 'a'.repeat(48)],
    ['made of 9 distinct characters', 'abcdefghi'.repeat(6)],
    ['the .env.example placeholder', 'change-me-to-a-random-string-of-at-least-32-bytes'],
    ['containing "changeme"', `CHANGEME${GOOD_SECRET}`],
    ['containing "placeholder"', `placeholder-${GOOD_SECRET}`],
    ['containing "example"', `${GOOD_SECRET}-Example`],
  ])('refuses a JWT_SECRET that is %s in production', (_case, secret) => {
    const env: Record<string, string> = { APP_ENV: 'production' };
    if (secret !== undefined) env.JWT_SECRET = secret;
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^JWT_SECRET /);
  });

  it('only warns about a weak secret outside production', () => {
    const { warnings } = loadConfig({ JWT_SECRET: 'short' });
    expect(warnings.join()).toContain('JWT_SECRET');
  });

  it.each([
    ['JWT_TTL_SECONDS', '901'],
    ['JWT_TTL_SECONDS', '0'],
    ['PORT', '70000'],
    ['PORT', 'http'],
    ['APP_ENV', 'staging'],
    ['LOG_LEVEL', 'loud'],
    ['OPENAPI_ENABLED', 'perhaps'],
    ['DATABASE_URL', 'mysql://db/app'],
    ['CORS_ORIGINS', 'https://app.example.com/'],
  ])('rejects %s=%s, naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ APP_ENV: 'production', PORT: 'x', JWT_TTL_SECONDS: '3600' })).toHaveLength(
      3,
    );
  });

  it('parses the CORS allowlist', () => {
    const { config } = loadConfig({
      CORS_ORIGINS: ' https://a.example.com ,http://localhost:5173,',
    });
    expect(config.corsOrigins).toEqual(['https://a.example.com', 'http://localhost:5173']);
  });

  it('takes a redis:// REDIS_URL and refuses anything else, naming the variable', () => {
    const url = 'redis://:secret@127.0.0.1:6379/0';
    expect(loadConfig({ REDIS_URL: url }).config.redisUrl).toBe(url);
    expect(problemsOf({ REDIS_URL: '127.0.0.1:6379' })).toEqual([
      expect.stringContaining('REDIS_URL'),
    ]);
  });

  it('bounds the shutdown grace period', () => {
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '10' }).config.shutdownGraceSeconds).toBe(10);
    expect(problemsOf({ SHUTDOWN_GRACE_SECONDS: '0' })).toHaveLength(1);
  });

  it('reads the load-shedding threshold, 0 turning it off', () => {
    expect(loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '0' }).config.maxEventLoopDelayMs).toBe(0);
    expect(problemsOf({ MAX_EVENT_LOOP_DELAY_MS: '-1' })).toHaveLength(1);
  });
});

describe('loadDotEnv', () => {
  it('loads .env values without overriding the real environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'DOTENV_TEST_FROM_FILE=file\nDOTENV_TEST_REAL=file\n');
    process.env.DOTENV_TEST_REAL = 'real';
    try {
      expect(loadDotEnv(file)).toBe(true);
      expect(process.env.DOTENV_TEST_FROM_FILE).toBe('file');
      expect(process.env.DOTENV_TEST_REAL).toBe('real');
      expect(loadDotEnv(join(dir, 'missing.env'))).toBe(false);
    } finally {
      delete process.env.DOTENV_TEST_FROM_FILE;
      delete process.env.DOTENV_TEST_REAL;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('server start-up in production', () => {
  // Every variable the app reads, set (empty means "default") so that the project's .env, which
  // never overrides the real environment, changes nothing.
  const BLANK = Object.fromEntries(
    ['HOST', 'DATABASE_URL', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_TTL_SECONDS', 'CORS_ORIGINS']
      .concat(['OPENAPI_ENABLED', 'LOG_LEVEL'])
      .map((name) => [name, '']),
  );

  function start(secret: string) {
    return spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: projectRoot,
      env: {
        ...BLANK,
        PATH: process.env.PATH,
        APP_ENV: 'production',
        JWT_SECRET: secret,
        PORT: '0',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
  }

  it.each([
    ['a placeholder', 'change-me-to-a-random-string-of-at-least-32-bytes'],
    ['an empty', ''],
    ['a repetitive', 'a'.repeat(48)],
  ])('exits non-zero naming JWT_SECRET with %s secret', (_case, secret) => {
    const result = start(secret);
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('JWT_SECRET');
  });
});

describe('.gitignore', () => {
  it('keeps every .env file out of git, except the example', () => {
    const lines = readFileSync(join(projectRoot, '.gitignore'), 'utf8').split(/\r?\n/);
    expect(lines).toEqual(expect.arrayContaining(['.env', '.env.*', '!.env.example']));
  });
});
