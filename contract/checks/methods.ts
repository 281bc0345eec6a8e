import { describe, fail, headerTokens, show } from '../lib/assert.js';
import { createNote, newAccount, type Check } from '../lib/context.js';
import type { HttpResponse } from '../lib/http.js';
import { expectNoStore, expectSecurityHeaders } from './headers.js';

/** `Allow` lists exactly `expected` (upper case); HEAD and OPTIONS may be added. */
export function expectAllow(res: HttpResponse, expected: string[]): void {
  const allow = headerTokens(res, 'allow').map((m) => m.toUpperCase());
  const missing = expected.filter((m) => !allow.includes(m));
  const extra = allow.filter((m) => !expected.includes(m) && m !== 'HEAD' && m !== 'OPTIONS');
  if (missing.length > 0 || extra.length > 0) {
    fail(`${describe(res)}: expected Allow: ${expected.join(', ')} (HEAD and OPTIONS optional), got Allow: ${res.headers.allow ?? '(absent)'}`);
  }
}

export const methodChecks: Check[] = [
  {
    name: 'methods: QUERY and FOO on documented paths answer 405 with Allow, problem+json and the security headers',
    async run(ctx) {
      const account = await newAccount(ctx, 'methods');
      const note = await createNote(ctx, account, { title: 'methods' });
      const operations = ctx.spec.operations();
      const paths: [string, string][] = [
        ['/health', '/health'],
        ['/ready', '/ready'],
        ['/api/v1/auth/me', '/api/v1/auth/me'],
        ['/api/v1/auth/login', '/api/v1/auth/login'],
        ['/api/v1/notes', '/api/v1/notes'],
        [`/api/v1/notes/${note.id}`, '/api/v1/notes/{id}'],
      ];
      for (const [path, template] of paths) {
        const expected = (operations[template] ?? []).map((m) => m.toUpperCase());
        for (const method of ['QUERY', 'FOO']) {
          const res = await ctx.http.request(method, path, { token: account.token });
          if (res.status !== 405) fail(`${method} ${path}: expected 405, got ${res.status}; body: ${show(res.text || '(empty)')}`);
          ctx.spec.expectComponent(res, 'MethodNotAllowed', 405);
          expectAllow(res, expected);
          expectSecurityHeaders(res);
          if (path.startsWith('/api/')) expectNoStore(res);
        }
      }
      ctx.spec.expect(await ctx.http.get(`/api/v1/notes/${note.id}`, { token: account.token }), '/api/v1/notes/{id}', 200);
    },
  },
];
