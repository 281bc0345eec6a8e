import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

import { buildApp, type AppDependencies } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/index.js';
import { migrate } from '../src/db/migrator.js';

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  config: Config;
  close(): Promise<void>;
}

/**
 * An app on a fresh database: TEST_DATABASE_URL when set (its tables are dropped first, so point
 * it at a database you can wipe), else a throwaway SQLite file.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  dependencies: Partial<AppDependencies> = {},
): Promise<TestApp> {
  const { url, cleanup } = testDatabaseUrl();
  const { config } = loadConfig({
    APP_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    DATABASE_URL: url,
    // A test worker on a busy machine lags like an overloaded server: shedding is tested on its
    // own (overload.test.ts), not left to decide other tests' answers.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    ...env,
  });
  const db = openDatabase(config.databaseUrl);
  await resetDatabase(db);
  await migrate(db);
  const app = await buildApp({ ...dependencies, config, db });
  await app.ready();
  return {
    app,
    db,
    config,
    async close() {
      await app.close();
      await db.close();
      cleanup();
    },
  };
}

export function testDatabaseUrl(): { url: string; cleanup: () => void } {
  const shared = process.env.TEST_DATABASE_URL;
  if (shared) return { url: shared, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'api-test-'));
  return {
    url: `sqlite:///${join(dir, 'data', 'test.db')}`,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Drops every table, so each test file starts from an empty, unmigrated database. */
export async function resetDatabase(db: Database): Promise<void> {
  if (db.dialect === 'postgres') {
    const tables = await db.query<{ name: string }>(
      'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()',
    );
    const names = tables.map(({ name }) => `"${name}"`).join(', ');
    if (names) await db.query(`DROP TABLE IF EXISTS ${names} CASCADE`);
    return;
  }
  const tables = await db.query<{ name: string }>(
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  );
  await db.transaction([
    { sql: 'PRAGMA defer_foreign_keys = ON' },
    ...tables.map(({ name }) => ({ sql: `DROP TABLE "${name}"` })),
  ]);
}

export const PASSWORD = 'correct horse battery staple';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID()}@example.com`;
}

let clients = 0;

/**
 * A client address no other request of this test file has used (10.0.0.1, 10.0.0.2, …). The rate
 * limits key on the client address, so a test that is not about them uses a fresh one for each
 * registration.
 */
export function clientAddress(): string {
  clients++;
  return `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
}

/** `POST /api/v1/auth/register` with any payload, from a fresh client address. */
export function registerWith(
  app: FastifyInstance,
  payload: unknown,
  remoteAddress = clientAddress(),
) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    remoteAddress,
    payload: payload as object,
  });
}

export async function register(app: FastifyInstance, email = uniqueEmail(), password = PASSWORD) {
  const response = await registerWith(app, { email, password });
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.body}`);
  return response.json<{ id: number; email: string }>();
}

export async function login(app: FastifyInstance, email: string, password = PASSWORD) {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
}

/** Registers a new user and returns the headers that authenticate as them. */
export async function authenticatedUser(app: FastifyInstance) {
  const user = await register(app);
  const response = await login(app, user.email);
  const { access_token: token } = response.json<{ access_token: string }>();
  return { ...user, token, headers: { authorization: `Bearer ${token}` } };
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** Asserts an RFC 9457 problem response with `status` and returns its body. */
export function expectProblem(response: LightMyRequestResponse, status: number): ProblemBody {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json<ProblemBody>();
  expect(body).toMatchObject({ type: 'about:blank', status });
  expect(body.title).toEqual(expect.any(String));
  return body;
}
