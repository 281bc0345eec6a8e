import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { authenticatedUser, createTestApp, PASSWORD, type TestApp } from './helpers.js';

const lines: string[] = [];
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(
    { LOG_LEVEL: 'info' },
    { logStream: { write: (line: string) => void lines.push(line) } },
  );
});
afterAll(() => t.close());
beforeEach(() => {
  lines.length = 0;
});

const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the request log', () => {
  it('writes one line per request, with what was asked and answered', async () => {
    const user = await authenticatedUser(t.app);
    lines.length = 0;
    await t.app.inject({ method: 'GET', url: '/api/v1/notes?limit=5', headers: user.headers });
    expect(parsed()).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        req: expect.objectContaining({ method: 'GET', url: '/api/v1/notes?limit=5' }),
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
  });

  it("carries each request's id, as the request's other lines do", async () => {
    const user = await authenticatedUser(t.app);
    lines.length = 0;
    for (let i = 0; i < 2; i++) {
      await t.app.inject({ method: 'GET', url: '/api/v1/notes', headers: user.headers });
    }
    const ids = parsed().map((line) => line.reqId);
    expect(ids).toEqual([expect.any(String), expect.any(String)]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('leaves liveness probes out', async () => {
    await t.app.inject({ method: 'GET', url: '/health' });
    expect(lines).toEqual([]);
  });

  it('never holds a token, a cookie or a password of a request', async () => {
    const user = await authenticatedUser(t.app);
    await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { ...user.headers, cookie: 'session=cookie-secret-value' },
    });
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [user.token, 'cookie-secret-value', PASSWORD]) {
      expect(lines.join('\n')).not.toContain(secret);
    }
  });

  it('redacts credentials from anything logged, at the top level or one level down', () => {
    t.app.log.info(
      {
        password: 'secret-1',
        token: 'secret-2',
        access_token: 'secret-3',
        body: { password: 'secret-4', token: 'secret-5', access_token: 'secret-6' },
      },
      'something with credentials',
    );
    const text = lines.join('\n');
    for (let i = 1; i <= 6; i++) expect(text).not.toContain(`secret-${i}`);
    expect(parsed()[0]).toMatchObject({
      password: '[redacted]',
      body: { password: '[redacted]', token: '[redacted]', access_token: '[redacted]' },
    });
  });
});
