import { describe, expectNoBanner, fail, mediaType, show } from '../lib/assert.js';
import { newAccount, type Check, type Context, type Problem } from '../lib/context.js';
import type { HttpResponse } from '../lib/http.js';
import { expectNoStore, expectSecurityHeaders } from './headers.js';

/**
 * An error the router or the HTTP server answers before any route runs must look like any other:
 * the expected status, problem+json, the security headers, no framework banner, no redirect.
 */
function expectRouterError(ctx: Context, res: HttpResponse, what: string, statuses: number[]): void {
  if (!statuses.includes(res.status)) {
    fail(`${what}: ${describe(res)}, expected ${statuses.join(' or ')}; Location: ${res.headers.location ?? '(none)'}; body: ${show(res.text || '(empty)')}`);
  }
  if (mediaType(res) !== 'application/problem+json') {
    fail(`${what}: ${describe(res)}: expected Content-Type application/problem+json, got ${res.headers['content-type'] ?? '(absent)'}; body: ${show(res.text || '(empty)')}`);
  }
  const problem = res.json as Partial<Problem> | undefined;
  if (problem?.status !== res.status || problem.type !== 'about:blank' || typeof problem.title !== 'string') {
    fail(`${what}: ${describe(res)}: not a problem document for this status: ${show(res.text)}`);
  }
  const invalid = ctx.spec.validate('Problem', res.json);
  if (invalid) fail(`${what}: ${describe(res)}: the body does not match #/components/schemas/Problem: ${invalid}`);
  expectSecurityHeaders(res);
  expectNoBanner(res);
}

export const routerChecks: Check[] = [
  {
    name: 'router: bad percent-encoding in an /api/ path answers 400 or 404 problem+json with the security headers and no-store',
    async run(ctx) {
      const account = await newAccount(ctx, 'router');
      for (const path of ['/api/v1/notes/%E0%A4%A', '/api/v1/notes/%', '/api/v1/notes/%zz', '/api/v1/%C0%AFnotes']) {
        const res = await ctx.http.get(path, { token: account.token });
        expectRouterError(ctx, res, 'bad percent-encoding', [400, 404]);
        expectNoStore(res);
        if (res.text.includes('%') || /%[0-9a-f]{2}/i.test(JSON.stringify(res.json ?? ''))) {
          fail(`${describe(res)}: the error echoes the requested path: ${show(res.text)}`);
        }
      }
    },
  },
  {
    name: 'router: a request line over 8 KiB answers 404 or 414 problem+json with the security headers',
    async run(ctx) {
      const account = await newAccount(ctx, 'router');
      for (const path of [`/${'a'.repeat(8300)}`, `/api/v1/notes/${'7'.repeat(8300)}`]) {
        const res = await ctx.http.get(path, { token: account.token });
        expectRouterError(ctx, res, 'a request line of 8300+ characters', [404, 414]);
        if (path.startsWith('/api/')) expectNoStore(res);
        if (/a{8}|7{8}/.test(res.text)) fail(`${describe(res)}: the error echoes the requested path: ${show(res.text)}`);
      }
    },
  },
  {
    name: 'router: request headers over 16 KiB answer 431 or 400 problem+json with the security headers',
    async run(ctx) {
      for (const path of ['/health', '/api/v1/notes']) {
        const res = await ctx.http.get(path, { headers: { 'X-Padding': 'p'.repeat(20 * 1024) } });
        expectRouterError(ctx, res, 'a 20 KiB header', [400, 431]);
        if (path.startsWith('/api/')) expectNoStore(res);
      }
    },
  },
  {
    name: 'router: /%61pi/v1/notes is /api/v1/notes (401 with no-store); a path with an empty segment (/api//v1/notes, //api/v1/notes) is unknown: 404 problem+json with no-store, not a redirect',
    async run(ctx) {
      const account = await newAccount(ctx, 'router');
      const encoded = await ctx.http.get('/%61pi/v1/notes');
      ctx.spec.expect(encoded, '/api/v1/notes', 401);
      expectSecurityHeaders(encoded);
      expectNoStore(encoded);
      for (const path of ['/api//v1/notes', '//api/v1/notes', '/api/v1//notes']) {
        const res = await ctx.http.get(path, { token: account.token });
        expectRouterError(ctx, res, `the path ${path}`, [404]);
        if (res.headers.location !== undefined) fail(`${describe(res)}: expected no Location header, got ${res.headers.location}`);
        expectNoStore(res);
      }
    },
  },
  {
    name: 'router: a request with a foreign Host header is never redirected to that host, and carries the security headers',
    async run(ctx) {
      for (const path of ['/health', '/api/v1/notes', '/api//v1/notes', '/no-such-route']) {
        const res = await ctx.http.get(path, { headers: { Host: 'evil.example' } });
        const location = res.headers.location ?? '';
        if (location.includes('evil.example')) fail(`${describe(res)} with Host: evil.example: redirected to ${location}`);
        if (res.status >= 300 && res.status < 400) fail(`${describe(res)} with Host: evil.example: expected no redirect, got Location: ${location}`);
        expectSecurityHeaders(res);
        if (res.status >= 400) expectRouterError(ctx, res, `${path} with Host: evil.example`, [res.status]);
        if (path.startsWith('/api/')) expectNoStore(res);
      }
    },
  },
];
