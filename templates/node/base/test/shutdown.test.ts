import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:net';

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { PasswordHasher, PasswordPolicy } from '../src/auth/passwords.js';
import { openDatabase } from '../src/db/index.js';
import { migrate } from '../src/db/migrator.js';
import { run } from '../src/run.js';
import { PASSWORD, testDatabaseUrl, uniqueEmail } from './helpers.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** `run` as `npm start` calls it, on a migrated throwaway database and a free port. */
describe('start-up and shutdown (SIGTERM)', () => {
  const database = testDatabaseUrl();
  let port: number;
  beforeAll(async () => {
    const db = openDatabase(database.url);
    await migrate(db);
    await db.close();
  });
  afterAll(() => {
    database.cleanup();
  });

  async function environment(): Promise<void> {
    port = await freePort();
    // Real variables win over the project's .env, which `run` loads.
    for (const [name, value] of Object.entries({
      APP_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      DATABASE_URL: database.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      REDIS_URL: '',
      TRUSTED_PROXIES: '',
      // A shutdown that waits for nothing is over well within this.
      SHUTDOWN_GRACE_SECONDS: '5',
    })) {
      vi.stubEnv(name, value);
    }
  }
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  // Where a SIGTERM can land during start-up, each reached for certain rather than by timing.
  const moments = {
    'before start-up begins': (stop: AbortController) => {
      stop.abort('SIGTERM');
    },
    'while the app is being built': (stop: AbortController) => {
      const policy = PasswordPolicy.fromFile();
      vi.spyOn(PasswordPolicy, 'fromFile').mockImplementation(() => {
        stop.abort('SIGTERM');
        return policy;
      });
    },
    'while the app gets ready': (stop: AbortController) => {
      // Warming up only saves the first login some time: skipping it changes nothing else.
      vi.spyOn(PasswordHasher.prototype, 'warmUp').mockImplementation(() => {
        stop.abort('SIGTERM');
        return Promise.resolve();
      });
    },
  };

  it.each(Object.entries(moments))('never starts listening once stopped %s', async (_, reach) => {
    await environment();
    const listen = vi.spyOn(Server.prototype, 'listen');
    const stop = new AbortController();
    reach(stop);
    expect(await run(stop.signal)).toBe(0);
    expect(stop.signal.aborted).toBe(true);
    expect(listen).not.toHaveBeenCalled();
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('lets requests in flight finish, then stops listening and returns 0', async () => {
    await environment();
    const stop = new AbortController();
    const running = run(stop.signal);
    const base = `http://127.0.0.1:${port}`;
    for (let ready = false; !ready;) {
      ready = await fetch(`${base}/health`).then(
        (response) => response.ok,
        () => false,
      );
    }
    // Argon2 makes each registration take a while: they are still in flight at SIGTERM.
    const hash = vi.spyOn(PasswordHasher.prototype, 'hash');
    const inFlight = Array.from({ length: 4 }, () =>
      fetch(`${base}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: uniqueEmail(), password: PASSWORD }),
      }),
    );
    await vi.waitFor(() => {
      expect(hash).toHaveBeenCalledTimes(4);
    });
    stop.abort('SIGTERM');
    const statuses = (await Promise.all(inFlight)).map((response) => response.status);
    expect(statuses).toEqual([201, 201, 201, 201]);
    expect(await running).toBe(0);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });
});
