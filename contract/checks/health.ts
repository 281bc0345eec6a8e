import { expectEqual, fail, show } from '../lib/assert.js';
import type { Check } from '../lib/context.js';

export const healthChecks: Check[] = [
  {
    name: 'health: GET /health answers 200 {"status":"ok"}',
    async run({ http, spec }) {
      const body = spec.expect(await http.get('/health'), '/health', 200);
      expectEqual(body, { status: 'ok' }, 'GET /health body');
    },
  },
  {
    name: 'health: GET /ready answers 200 {"status":"ok"} while the database answers',
    async run({ http, spec }) {
      const body = spec.expect(await http.get('/ready'), '/ready', 200);
      expectEqual(body, { status: 'ok' }, 'GET /ready body');
    },
  },
  {
    name: 'health: GET /openapi.json serves the shipped document (404 allowed in production)',
    async run({ http, spec, options }) {
      const res = await http.get('/openapi.json');
      if (options.production && res.status === 404) {
        spec.expect(res, '/openapi.json', 404);
        return;
      }
      const served = spec.expect<Record<string, unknown>>(res, '/openapi.json', 200);
      if (typeof served.openapi !== 'string' || !served.openapi.startsWith('3.1')) {
        fail(`GET /openapi.json: expected "openapi" to start with "3.1", got ${show(served.openapi)}`);
      }
      expectEqual(spec.operations(served), spec.operations(), 'GET /openapi.json paths and methods');
    },
  },
  {
    name: 'health: GET /docs is on exactly when /openapi.json is served (HTML), a 404 otherwise',
    async run({ http }) {
      const documented = (await http.get('/openapi.json')).status === 200;
      const docs = await http.get('/docs');
      if (!documented) {
        expectEqual(docs.status, 404, 'GET /docs status while /openapi.json is not served');
        return;
      }
      expectEqual(docs.status, 200, 'GET /docs status while /openapi.json is served');
      if (!/^text\/html\b/.test(docs.headers['content-type'] ?? '')) fail(`GET /docs: expected text/html, got ${show(docs.headers['content-type'])}`);
    },
  },
];
