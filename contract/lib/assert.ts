import { isDeepStrictEqual } from 'node:util';
import type { HttpResponse } from './http.js';

/** A broken promise of the contract. Its message names the request, the expectation and what came back. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

export function fail(message: string): never {
  throw new CheckFailure(message);
}

/** A path as it appears in a message: a very long one is cut short. */
export function shortPath(path: string): string {
  return path.length > 100 ? `${path.slice(0, 100)}… (${path.length} chars)` : path;
}

/** `POST /api/v1/notes → 422` */
export function describe(res: HttpResponse): string {
  return `${res.method} ${shortPath(res.path)} → ${res.status}`;
}

/** A short, single-line rendering of a value or body for failure messages. */
export function show(value: unknown, max = 300): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max)}… (${text.length} chars)` : line;
}

export function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

export function expectStatus(res: HttpResponse, ...expected: number[]): void {
  if (!expected.includes(res.status)) {
    fail(`${res.method} ${shortPath(res.path)}: expected status ${expected.join(' or ')}, got ${res.status}; body: ${show(res.text || '(empty)')}`);
  }
}

/** The media type of a response without parameters, lower-cased ('' when absent). */
export function mediaType(res: HttpResponse): string {
  return (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function expectHeader(res: HttpResponse, name: string, expected: string): void {
  const actual = res.headers[name.toLowerCase()];
  if (actual !== expected) {
    fail(`${describe(res)}: expected header ${name}: ${expected}, got ${actual === undefined ? '(absent)' : actual}`);
  }
}

export function expectNoHeader(res: HttpResponse, name: string): void {
  const actual = res.headers[name.toLowerCase()];
  if (actual !== undefined) fail(`${describe(res)}: expected no ${name} header, got ${name}: ${actual}`);
}

/** The comma-separated tokens of a list header, lower-cased. */
export function headerTokens(res: HttpResponse, name: string): string[] {
  return (res.headers[name.toLowerCase()] ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}

/** A 422 body must name the offending field in `errors[].field`. */
export function expectFieldError(res: HttpResponse, field: string): void {
  const errors = (res.json as { errors?: { field?: unknown }[] } | undefined)?.errors ?? [];
  if (!errors.some((error) => error.field === field)) {
    fail(`${describe(res)}: expected an entry with field "${field}" in errors, got ${show(errors)}`);
  }
}

const INTERNALS: [RegExp, string][] = [
  [/Traceback \(most recent call last\)/, 'a Python traceback'],
  [/File "[^"]+", line \d+/, 'a Python stack frame'],
  [/\bat\s[^\n]*?[\w./\\-]+\.(?:[cm]?js|ts|py|php):\d+/, 'a stack frame (at file:line)'],
  [/Stack trace:|#\d+ \/[\w./-]+\.php/, 'a PHP stack trace'],
  [/node_modules/, 'a node_modules path'],
  [/site-packages|dist-packages/, 'a Python packages path'],
  [/\.py"/, 'a Python file name'],
  [
    /\b(?:SQLITE_\w+|sqlite3\.|OperationalError|ProgrammingError|IntegrityError|psycopg|SQLSTATE|PDOException|QueryFailedError)/,
    'a database driver error',
  ],
  [/no such table|relation "[^"]*" does not exist|syntax error at or near|\bSELECT\b.+\bFROM\b|\bINSERT INTO\b/i, 'SQL error text'],
];

/** An error body must not reveal stack traces, file paths or SQL. */
export function expectNoInternals(res: HttpResponse): void {
  // JSON escapes quotes and newlines, so look at the decoded strings as well as the raw text.
  const haystack = [res.text, ...strings(res.json)].join('\n');
  for (const [pattern, what] of INTERNALS) {
    const match = pattern.exec(haystack);
    if (match) fail(`${describe(res)}: the body reveals ${what} ("${show(match[0], 80)}"): ${show(res.text)}`);
  }
}

function strings(value: unknown, depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || depth > 20) return [];
  return Object.values(value).flatMap((item: unknown) => strings(item, depth + 1));
}

const BANNER = /fastify|express|koa|hapi|gunicorn|uvicorn|waitress|hypercorn|werkzeug|python|django|flask|php|slim|node|\d+\.\d+/i;

/** No `Server` or `X-Powered-By` header may name a framework, runtime or version. */
export function expectNoBanner(res: HttpResponse): void {
  for (const name of ['server', 'x-powered-by']) {
    const value = res.headers[name];
    if (value !== undefined && BANNER.test(value)) fail(`${describe(res)}: header ${name}: ${value} names the software or its version`);
  }
}
