/**
 * Properties of the account operations, generated from their request schemas: registration
 * (then login and `me`) with valid bodies, login with valid bodies for no account, and bodies that
 * break one keyword. Every request comes from a fresh source address, so the per-address limits
 * never answer for the property.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fc from 'fast-check';
import { expectEqual, expectFieldError, fail, show } from '../lib/assert.js';
import type { Check, Context, Token, User } from '../lib/context.js';
import type { HttpClient, HttpResponse } from '../lib/http.js';
import { valid, violations, type Json, type Violation } from './arbitraries.js';
import { propertyCheck } from './runner.js';

const REGISTER = '/api/v1/auth/register';
const LOGIN = '/api/v1/auth/login';
const ME = '/api/v1/auth/me';

/** The list every project refuses passwords from (rule: common passwords, any case). */
const COMMON_PASSWORDS = new URL('../../templates/shared/base/security/common-passwords.txt', import.meta.url);
const common: ReadonlySet<string> = new Set(
  fs.existsSync(COMMON_PASSWORDS)
    ? fs
        .readFileSync(COMMON_PASSWORDS, 'utf8')
        .split('\n')
        .map((line) => line.trim().toLowerCase())
        .filter((line) => line !== '' && !line.startsWith('#'))
    : [],
);

/** The schema of an operation's JSON request body, as the document gives it (usually a `$ref`). */
export function requestSchema(ctx: Context, path: string, method: string): Json {
  const operation = ((ctx.spec.document.paths as Record<string, Json>)[path]?.[method] ?? {}) as Json;
  const schema = ((((operation.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema) as Json | undefined;
  if (!schema) throw new Error(`openapi.json documents no JSON request body for ${method.toUpperCase()} ${path}`);
  return schema;
}

/** Sends a generated body (or raw text for a malformed one) as `application/json`. */
export function send(http: HttpClient, method: string, path: string, body: { body?: unknown; raw?: string }, token?: string): Promise<HttpResponse> {
  const text = body.raw ?? JSON.stringify(body.body);
  return http.request(method, path, { body: text, headers: { 'Content-Type': 'application/json' }, ...(token === undefined ? {} : { token }) });
}

/** The answer a violation must get: its status, and the field it names. */
export function expectRefused(ctx: Context, res: HttpResponse, template: string, violation: Violation): void {
  if (res.status !== violation.status) {
    fail(`${violation.why}: ${res.method} ${res.path} → expected ${violation.status}, got ${res.status}; body: ${show(res.text || '(empty)')}`);
  }
  ctx.spec.expect(res, template, violation.status);
  if (violation.field !== undefined) expectFieldError(res, violation.field);
}

/** A label no other registration of any run uses: `u` and 12 random letters or digits. */
const uniqueLabel = (): string => `u${randomBytes(9).toString('base64url').replace(/[-_]/g, '0').slice(0, 12).toLowerCase()}`;

/**
 * Makes a generated address unique while keeping it valid and, for long local parts, its length:
 * a local part of 14+ characters starts with the label instead, a shorter one gets the label as
 * the first domain label (13 more characters).
 */
function unique(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  if (local.length >= 14) return `${uniqueLabel()}${local.slice(13)}${email.slice(at)}`;
  return `${local}@${uniqueLabel()}.${email.slice(at + 1)}`;
}

/** Changes the case of some letters, as `mask` says (an ASCII address is the same account in any case). */
function recase(text: string, mask: number): string {
  return [...text].map((c, i) => ((mask >>> (i % 31)) & 1 ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join('');
}

interface Credentials {
  email: string;
  password: string;
}

/** Valid registration bodies the document allows and the password rules do not refuse. */
function registrations(ctx: Context): fc.Arbitrary<Credentials> {
  return (valid(ctx.spec, requestSchema(ctx, REGISTER, 'post')) as fc.Arbitrary<Credentials>)
    .filter(({ email, password }) => !common.has(password.toLowerCase()) && password.toLowerCase() !== email.toLowerCase())
    .map((body) => ({ ...body, email: unique(body.email) }))
    .filter((body) => ctx.spec.validateSchema(requestSchema(ctx, REGISTER, 'post'), body) === null);
}

/** Registers `body` from a fresh address, then logs in with the address in other case and reads `me`. */
async function registerThenLogin(ctx: Context, body: Credentials, mask: number): Promise<void> {
  const created = await ctx.client().post(REGISTER, { json: body });
  if (created.status !== 201) fail(`POST ${REGISTER} with ${show(body, 300)}: expected 201, got ${created.status}; body: ${show(created.text)}`);
  const user = ctx.spec.expect<User>(created, REGISTER, 201);
  expectEqual(user.email, body.email.toLowerCase(), `POST ${REGISTER} with email ${show(body.email, 80)}: the email answered`);
  const email = recase(body.email, mask);
  const res = await ctx.client().post(LOGIN, { json: { email, password: body.password } });
  if (res.status !== 200) fail(`POST ${LOGIN} as ${show(email, 80)} right after registering ${show(body.email, 80)}: expected 200, got ${res.status}; body: ${show(res.text)}`);
  const token = ctx.spec.expect<Token>(res, LOGIN, 200);
  const me = ctx.spec.expect<User>(await ctx.client().get(ME, { token: token.access_token }), ME, 200);
  expectEqual(me, user, `GET ${ME} for the new account`);
}

export function authProperties(): Check[] {
  return [
    propertyCheck({
      name: 'properties: register with generated valid bodies answers 201 (email lower-cased); login in any case and me agree',
      // Each run registers a small batch at once: password hashing is slow by design, and a server has several workers.
      runs: 8,
      shrink: false,
      setup: async () => undefined,
      arbitrary: (ctx) => fc.array(fc.tuple(registrations(ctx), fc.integer()), { minLength: 1, maxLength: 3 }),
      async predicate(ctx, _state, batch) {
        await Promise.all(batch.map(([body, mask]) => registerThenLogin(ctx, body, mask)));
      },
    }),
    propertyCheck({
      name: 'properties: register bodies breaking one rule of the request schema answer 422 naming the field (400 for broken JSON)',
      runs: 100,
      shrink: false,
      setup: async () => undefined,
      arbitrary: (ctx) => violations(ctx.spec, requestSchema(ctx, REGISTER, 'post'), registrations(ctx) as unknown as fc.Arbitrary<Json>),
      async predicate(ctx, _state, violation) {
        expectRefused(ctx, await send(ctx.client(), 'POST', REGISTER, violation), REGISTER, violation);
      },
    }),
    propertyCheck({
      name: 'properties: login with generated valid bodies for no account answers 401, never 422',
      runs: 8,
      setup: async () => undefined,
      arbitrary: (ctx) => fc.array(valid(ctx.spec, requestSchema(ctx, LOGIN, 'post')), { minLength: 1, maxLength: 3 }),
      async predicate(ctx, _state, batch) {
        await Promise.all(
          batch.map(async (body) => {
            const res = await ctx.client().post(LOGIN, { json: body });
            if (res.status !== 401) fail(`POST ${LOGIN} with ${show(body, 200)}: expected 401 (no such account), got ${res.status}; body: ${show(res.text)}`);
            ctx.spec.expect(res, LOGIN, 401);
          }),
        );
      },
    }),
    propertyCheck({
      name: 'properties: login bodies breaking one rule of the request schema answer 422 naming the field (400 for broken JSON)',
      runs: 80,
      setup: async () => undefined,
      arbitrary: (ctx) => {
        const schema = requestSchema(ctx, LOGIN, 'post');
        return violations(ctx.spec, schema, valid(ctx.spec, schema) as fc.Arbitrary<Json>);
      },
      async predicate(ctx, _state, violation) {
        expectRefused(ctx, await send(ctx.client(), 'POST', LOGIN, violation), LOGIN, violation);
      },
    }),
  ];
}
