import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoBanner, expectNoInternals } from '../lib/assert.js';
import type { HttpResponse } from '../lib/http.js';
import { decodeJwt, signJwt, unsecuredJwt } from '../lib/jwt.js';
import { SourceAddresses } from '../lib/addresses.js';
import { Spec } from '../lib/openapi.js';
import { CHECKS, checksFor, runContract, type ContractReport } from '../suite.js';
import { startWrongServer, type RunningServer } from './wrong-server.js';

/** Every check a run against a new project's document makes: the fixed ones and the property phase. */
const ALL = checksFor(Spec.load());
const results = (lines: string[]): string[] => lines.filter((line) => /^(ok {3}|FAIL )/.test(line));

const response = (overrides: Partial<HttpResponse>): HttpResponse => {
  const text = overrides.text ?? '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { method: 'GET', path: '/x', status: 500, headers: {}, text, json, ...overrides };
};

describe('the contract suite against a server that gets the contract wrong', () => {
  let server: RunningServer;
  let report: ContractReport;
  const byName = (fragment: string) => {
    const found = report.checks.filter((check) => check.name.includes(fragment));
    expect(found, `exactly one check named like "${fragment}"`).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    server = await startWrongServer();
    report = await runContract({ baseUrl: server.url });
  }, 120_000);
  afterAll(() => server.close());

  it('runs every check once and counts the results', () => {
    expect(report.checks.map((check) => check.name)).toEqual(ALL.map((check) => check.name));
    expect(new Set(ALL.map((check) => check.name)).size).toBe(ALL.length);
    expect(report.passed + report.failed).toBe(ALL.length);
    expect(report.checks.filter((check) => check.ok)).toHaveLength(report.passed);
  });

  it('connects from a source address of its own for each check, all in 127.0.0.0/8', () => {
    const peers = server.peers();
    // Checks that need a missing option stop before any request; every other one has its own address.
    expect(peers.size).toBeGreaterThan(ALL.length / 2);
    for (const peer of peers) expect(peer).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(peers.has('127.0.0.1')).toBe(false);
  });

  it('passes what the server gets right', () => {
    expect(byName('GET /health answers 200')).toMatchObject({ ok: true });
    expect(byName('Strict-Transport-Security present if and only if production').ok).toBe(true);
  });

  it.each([
    ['GET /ready answers 200', 'does not match #/components/schemas/Status'],
    ['unknown routes answer 404', 'expected status 404, got 200'],
    ['security headers on a 200 response', 'expected header X-Content-Type-Options: nosniff, got (absent)'],
    ['security headers on a 401 response', 'expected status 401, got 200'],
    ['no Server or X-Powered-By header', 'names the software or its version'],
    ['with alg "none" answers 401', 'was not refused'],
    ['a token signed with another key answers 401', 'was not refused'],
    ["another user's note answers 404", 'expected status 404, got 200'],
    ['a body over 1 MiB answers 413', 'expected status 413, got 201'],
    ['malformed JSON answers 400', 'expected status 400, got 201'],
    ['the same 401 for an unknown user and a wrong password', 'expected status 401, got 200'],
    ['after 5 failed logins', 'expected 401, got 200'],
    ['Cache-Control: no-store on /api/ responses', 'expected Cache-Control: no-store'],
    ['an unsupported method on a known path answers 405', 'expected status 405, got 200'],
    ['QUERY and FOO on documented paths answer 405', 'QUERY /health: expected 405, got 200'],
    ['the 11th registration from one address', 'registration 11 from one address: POST /api/v1/auth/register → expected 429, got 201'],
    ['register refuses non-ASCII, malformed and space-padded emails', 'with email josé@example.com (a non-ASCII local part): expected 422, got 201'],
    ['8 parallel DELETEs of one note', 'expected exactly one 204 and seven 404'],
    ['properties: login with generated valid bodies for no account', 'expected 401 (no such account), got 200'],
  ])('fails "%s" with a message saying why', (name, message) => {
    const check = byName(name);
    expect(check.ok).toBe(false);
    expect(check.error).toContain(message);
  });

  it.each([
    ['a token forged with jwtSecret and real claims is accepted', 'jwtSecret (--jwt-secret on the command line)'],
    ['an expired token answers 401', 'jwtSecret'],
    ['CORS echoes an allowed origin', 'allowedOrigin (--allowed-origin on the command line)'],
    ['CORS preflight', 'allowedOrigin'],
    ['a database failure answers 500', 'breakDatabase'],
  ])('fails "%s" naming the missing option', (name, option) => {
    const check = byName(name);
    expect(check.ok).toBe(false);
    expect(check.error).toMatch(/^this check needs the option /);
    expect(check.error).toContain(option);
  });

  it('runs the database failure check last', () => {
    expect(CHECKS.at(-1)!.name).toContain('a database failure');
    expect(ALL.at(-1)!.name).toContain('a database failure');
  });

  it('reports a failing property with its generated input and the seed that repeats it', () => {
    const error = byName('properties: notes with generated valid create and update bodies').error!;
    expect(error).toMatch(/generated input: .+; after \d+ of \d+ runs and \d+ shrinks; seed -?\d+, path [\d:]+ \(CONTRACT_SEED=\d+ repeats the run\)$/);
  });
});

describe('generated inputs', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startWrongServer();
  });
  afterAll(() => server.close());

  it('are the same for the same seed, from the option or from CONTRACT_SEED', async () => {
    const only = 'properties: login bodies breaking one rule';
    const run = async (seed?: number) => (await runContract({ baseUrl: server.url, only, ...(seed === undefined ? {} : { seed }) })).checks[0]!;
    const first = await run(12345);
    expect(first.ok).toBe(false);
    expect((await run(12345)).error).toBe(first.error);
    process.env.CONTRACT_SEED = '12345';
    try {
      expect((await run()).error).toBe(first.error);
    } finally {
      delete process.env.CONTRACT_SEED;
    }
    expect((await run(54321)).error).not.toBe(first.error);
  }, 60_000);
});

describe('source addresses', () => {
  it('are consecutive loopback addresses from a random start, or one address for any other host', async () => {
    const addresses = SourceAddresses.loopback((1 << 16) + 255);
    expect([addresses.take(), addresses.take()]).toEqual(['127.1.0.255', '127.1.1.0']);
    const remote = await SourceAddresses.for('http://192.0.2.10:8000');
    expect(remote.several).toBe(false);
    expect(remote.take()).toBeUndefined();
    expect((await SourceAddresses.for('http://[::1]:8000')).several).toBe(false);
    expect((await SourceAddresses.for('http://127.0.0.1:8000')).several).toBe(true);
  });
});

describe('options change what a check expects, not which checks run', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startWrongServer();
  });
  afterAll(() => server.close());

  it('fails the HSTS check in production when the header is absent', async () => {
    const report = await runContract({ baseUrl: server.url, production: true });
    expect(report.checks).toHaveLength(ALL.length);
    const hsts = report.checks.find((check) => check.name.includes('Strict-Transport-Security'))!;
    expect(hsts).toMatchObject({ ok: false, error: expect.stringContaining('expected header Strict-Transport-Security') });
  }, 120_000);

  it('calls breakDatabase and then fails the 500 check on a 200', async () => {
    let broken = 0;
    const report = await runContract({
      baseUrl: server.url,
      breakDatabase: async () => {
        broken++;
      },
    });
    expect(broken).toBe(1);
    const last = report.checks.at(-1)!;
    expect(last).toMatchObject({ ok: false, error: expect.stringContaining('expected status 500, got 200') });
  }, 120_000);
});

describe('a server that does not answer', () => {
  it('fails every check without throwing', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address() as { port: number };
        probe.close(() => resolve(address.port));
      });
    });
    const lines: string[] = [];
    const report = await runContract({ baseUrl: `http://127.0.0.1:${port}`, log: (line) => lines.push(line) });
    expect(report.passed).toBe(0);
    expect(report.failed).toBe(ALL.length);
    expect(results(lines)).toHaveLength(ALL.length);
    expect(results(lines)[0]).toMatch(/^FAIL health: .*ECONNREFUSED/);
  }, 60_000);
});

describe('helpers', () => {
  it('signs HS256 and HS512 tokens the way a verifier recomputes them', () => {
    const token = signJwt({ sub: '1' }, 'k'.repeat(32));
    const [header, payload, signature] = token.split('.');
    expect(signature).toBe(createHmac('sha256', 'k'.repeat(32)).update(`${header}.${payload}`).digest('base64url'));
    expect(decodeJwt(signJwt({ sub: '1' }, 'k', 'HS512')).header).toEqual({ alg: 'HS512', typ: 'JWT' });
    expect(unsecuredJwt({ sub: '1' })).toMatch(/^[\w-]+\.[\w-]+\.$/);
  });

  it('recognises stack traces and SQL in a body, and lets an ordinary problem through', () => {
    const leaks = [
      'Traceback (most recent call last):\n  File "/app/views.py", line 3, in get',
      'Error: boom\n    at handler (/app/src/routes/notes.ts:42:7)',
      '{"detail":"SQLITE_ERROR: no such table: notes"}',
      '{"detail":"relation \\"notes\\" does not exist"}',
      '/usr/lib/python3/site-packages/flask/app.py',
    ];
    for (const text of leaks) expect(() => expectNoInternals(response({ text }))).toThrow(/reveals/);
    const fine =
      '{"type":"about:blank","title":"Unprocessable Entity","status":422,"errors":[{"field":"title","message":"must be at most 200 characters"}]}';
    expect(() => expectNoInternals(response({ text: fine }))).not.toThrow();
  });

  it('recognises framework banners', () => {
    for (const server of ['gunicorn', 'Werkzeug/3.1.3 Python/3.11.7', 'uvicorn', 'nginx/1.25.3']) {
      expect(() => expectNoBanner(response({ headers: { server } }))).toThrow(/names the software/);
    }
    expect(() => expectNoBanner(response({ headers: { 'x-powered-by': 'PHP/8.3.1' } }))).toThrow();
    expect(() => expectNoBanner(response({ headers: {} }))).not.toThrow();
  });

  it('validates bodies against the shipped schemas', () => {
    const spec = Spec.load();
    const note = { id: 1, title: 't', body: null, created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00.123+00:00' };
    expect(spec.validate('Note', note)).toBeNull();
    expect(spec.validate('Note', { ...note, owner_id: 2 })).toMatch(/additional properties/);
    expect(spec.validate('Note', { ...note, created_at: 'yesterday' })).toMatch(/date-time/);
    expect(spec.validate('User', { id: 1, email: 'a@b.co', password_hash: 'x' })).toMatch(/additional properties/);
    expect(spec.validate('ValidationProblem', { type: 'about:blank', title: 'Unprocessable Entity', status: 422 })).toMatch(/errors/);
  });
});

describe('the checks derived for generated resources', () => {
  it('exist for each resource the document describes, besides notes, and fail against a server that ignores them', async () => {
    const { writeFileSync, mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { documentWithResources } = await import('../../src/resources/openapi.js');
    const { NOTE_RESOURCE, parseFields } = await import('../../src/resources/spec.js');
    const { SPEC_URL } = await import('../lib/openapi.js');
    const { checksFor } = await import('../suite.js');
    const dir = mkdtempSync(join(tmpdir(), 'cb-spec-'));
    const specFile = join(dir, 'openapi.json');
    const task = { name: 'Task', fields: parseFields('title:string(40),done:boolean,due:date?') };
    writeFileSync(specFile, documentWithResources(readFileSync(SPEC_URL, 'utf8'), [NOTE_RESOURCE, task]));
    const checks = checksFor(Spec.load(specFile));
    const derived = checks.filter((c) => c.name.startsWith('tasks: '));
    expect(derived.length).toBe(5);
    expect(checks.at(-1)!.name).toContain('a database failure');
    const server = await startWrongServer();
    try {
      const report = await runContract({ baseUrl: server.url, specFile });
      const results = report.checks.filter((c) => c.name.startsWith('tasks: '));
      expect(results.map((c) => c.ok)).toEqual(derived.map(() => false));
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
