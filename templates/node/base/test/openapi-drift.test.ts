import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { onRouteHookHandler } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/index.js';
import { projectRoot } from '../src/paths.js';
import { testDatabaseUrl } from './helpers.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * What the router serves that openapi.json need not describe: HEAD (Fastify answers it for every
 * GET), OPTIONS (the CORS plugin's preflight route, `*`) and the docs page with its assets.
 */
const IGNORED_METHODS = new Set(['HEAD', 'OPTIONS']);
const IGNORED_PATHS = [/^\/docs(\/|$)/];

/** `METHOD /path` for every operation in openapi.json, with `{param}` as written there. */
function documentedOperations(): string[] {
  const document = JSON.parse(readFileSync(join(projectRoot, 'openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => HTTP_METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

type Route = Parameters<onRouteHookHandler>[0];

/**
 * `METHOD /path` for every route Fastify registered, `:param` written `{param}`. A plugin's `/`
 * route under a prefix answers at the prefix with and without the trailing slash (Fastify's
 * `prefixTrailingSlash: 'both'`): one operation, documented without the slash.
 */
function servedOperations(routes: Route[]): string[] {
  const operations = routes.flatMap((route) => {
    const url = route.prefix && route.routePath === '/' ? route.prefix : route.url;
    const path = url.replace(/:(\w+)/g, '{$1}');
    if (IGNORED_PATHS.some((pattern) => pattern.test(path))) return [];
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    return methods
      .filter((method) => !IGNORED_METHODS.has(method))
      .map((method) => `${method} ${path}`);
  });
  return [...new Set(operations)];
}

describe('openapi.json and the routes the app serves', () => {
  const routes: Route[] = [];
  let db: Database;
  let cleanup: () => void;

  beforeAll(async () => {
    const database = testDatabaseUrl();
    cleanup = database.cleanup;
    // Every optional route on: the document must describe the fullest app.
    const { config } = loadConfig({
      APP_ENV: 'development',
      LOG_LEVEL: 'silent',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      DATABASE_URL: database.url,
      OPENAPI_ENABLED: 'true',
    });
    db = openDatabase(config.databaseUrl);
    const app = await buildApp({ config, db, onRoute: (route) => void routes.push(route) });
    await app.close();
  });
  afterAll(async () => {
    await db.close();
    cleanup();
  });

  it('documents every route the app serves', () => {
    const documented = new Set(documentedOperations());
    const undocumented = servedOperations(routes).filter((operation) => !documented.has(operation));
    expect(undocumented, 'routes missing from openapi.json').toEqual([]);
  });

  it('serves every operation openapi.json documents', () => {
    const served = new Set(servedOperations(routes));
    const unserved = documentedOperations().filter((operation) => !served.has(operation));
    expect(unserved, 'operations in openapi.json that no route serves').toEqual([]);
  });

  it('sees the routes at all', () => {
    // Guards the two tests above against passing on an empty route list.
    expect(servedOperations(routes)).toContain('POST /api/v1/auth/login');
  });
});
