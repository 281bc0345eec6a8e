import { execa, type ResultPromise } from 'execa';
import { randomInt } from 'node:crypto';
import { expect } from 'vitest';
import { SourceAddresses } from '../../contract/lib/addresses.js';
import { HttpClient, type HttpResponse } from '../../contract/lib/http.js';
import { freePort, launchServer, startServer, type Project, type RunningServer } from './project.js';

/** Failed logins per (address, email) the contract allows in a window; the next one is refused. */
const FAILURES_ALLOWED = 5;
/** How many requests the graceful-shutdown check keeps in flight. */
const IN_FLIGHT = 8;
/** What the apps promise for shutdown: in-flight work done and exit within Kubernetes' default grace. */
const GRACE_MS = 30_000;

/** A private Redis for one test, so stopping it touches nothing else on the machine. */
export interface PrivateRedis {
  readonly url: string;
  readonly stop: () => Promise<void>;
}

/** Starts `redis-server` on a free loopback port, keeping nothing on disk. */
export async function startRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child: ResultPromise = execa('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { reject: false, stdin: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ping = await execa('redis-cli', ['-p', String(port), 'ping'], { reject: false });
    if (ping.stdout.trim() === 'PONG') break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on port ${port}`);
    }
    await sleep(100);
  }
  return {
    url: `redis://127.0.0.1:${port}/0`,
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const loginBody = (email: string, password: string): { json: { email: string; password: string } } => ({ json: { email, password } });

function expectThrottled(res: HttpResponse, what: string): void {
  expect(res.status, `${what}: ${res.status} ${res.text.slice(0, 300)}`).toBe(429);
  expect(Number(res.headers['retry-after']), `${what}: Retry-After`).toBeGreaterThan(0);
}

/** Sends `count` failed logins for one email from `client`, spread over `servers` in turn. */
async function failLogins(client: HttpClient[], email: string, count: number, headers: (i: number) => Record<string, string> = () => ({})): Promise<HttpResponse[]> {
  const answers: HttpResponse[] = [];
  for (let i = 0; i < count; i++) {
    answers.push(await client[i % client.length]!.post('/api/v1/auth/login', { ...loginBody(email, 'Wrong-password-1234'), headers: headers(i) }));
  }
  return answers;
}

/** Options of the scale-out proof: the project and its production environment (PostgreSQL). */
export interface ScaleOutOptions {
  readonly project: Project;
  readonly env: Record<string, string>;
}

/**
 * Two instances of the production app on one database and one Redis share every login limit:
 * alternating failures between them are refused on the sixth, a restart of both forgets nothing,
 * and with Redis gone the apps stay up and refuse logins (503) instead of letting guesses through.
 */
export async function sharedLimitsAcrossInstances({ project, env }: ScaleOutOptions): Promise<void> {
  const addresses = SourceAddresses.loopback();
  let redis = await startRedis();
  const shared = { ...env, REDIS_URL: redis.url, TRUSTED_PROXIES: '' };
  let servers: RunningServer[] = [];
  try {
    servers = [await startServer(project, shared), await startServer(project, shared)];
    for (const server of servers) expect(server.output(), 'the start-up log names the shared store').toMatch(/rate limits: redis/i);
    const from = (address: string | undefined): HttpClient[] => servers.map((s) => new HttpClient(s.baseUrl, { localAddress: address }));

    const email = `scale-${randomInt(1e9)}@example.com`;
    const guesser = addresses.take();
    const first = await failLogins(from(guesser), email, FAILURES_ALLOWED + 1);
    expect(first.slice(0, FAILURES_ALLOWED).map((r) => r.status)).toEqual(Array(FAILURES_ALLOWED).fill(401));
    expectThrottled(first[FAILURES_ALLOWED]!, 'sixth failure, alternating between two instances');

    // Restart both: the count lives in Redis, not in either process.
    for (const server of servers) expect(await server.stop(), server.output().slice(-2000)).toBe(0);
    servers = [await startServer(project, shared), await startServer(project, shared)];
    expectThrottled((await failLogins(from(guesser), email, 1))[0]!, 'after restarting both instances');

    // Spoofing: no trusted proxy, so a rotating X-Forwarded-For is not a new client.
    const spoofer = addresses.take();
    const spoofed = await failLogins(from(spoofer), email.replace('scale-', 'spoof-'), FAILURES_ALLOWED + 1, (i) => ({ 'X-Forwarded-For': `198.51.100.${i + 1}` }));
    expect(spoofed.slice(0, FAILURES_ALLOWED).map((r) => r.status)).toEqual(Array(FAILURES_ALLOWED).fill(401));
    expectThrottled(spoofed[FAILURES_ALLOWED]!, 'sixth failure with a rotating X-Forwarded-For from an untrusted peer');

    // Redis goes away mid-run: the apps keep serving and fail closed for login.
    await redis.stop();
    for (const client of from(addresses.take())) {
      expect((await client.get('/health')).status, 'health with Redis down').toBe(200);
      const refused = await client.post('/api/v1/auth/login', loginBody(email.replace('scale-', 'down-'), 'Wrong-password-1234'));
      expect(refused.status, `login with Redis down: ${refused.text.slice(0, 300)}`).toBe(503);
      expect(refused.headers['content-type'] ?? '').toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers['retry-after']), 'Retry-After with Redis down').toBeGreaterThan(0);
    }
    for (const server of servers.splice(0)) expect(await server.stop(), server.output().slice(-2000)).toBe(0);

    // Behind a trusted proxy (127.0.0.1 here) the forwarded address is the client.
    redis = await startRedis();
    servers = [await startServer(project, { ...shared, REDIS_URL: redis.url, TRUSTED_PROXIES: '127.0.0.1/32' })];
    const proxy = from('127.0.0.1');
    const victim = email.replace('scale-', 'proxied-');
    const distinct = await failLogins(proxy, victim, FAILURES_ALLOWED + 2, (i) => ({ 'X-Forwarded-For': `203.0.113.${i + 1}` }));
    expect(distinct.map((r) => r.status), 'each forwarded address is its own client').toEqual(Array(FAILURES_ALLOWED + 2).fill(401));
    const one = await failLogins(proxy, victim, FAILURES_ALLOWED + 1, () => ({ 'X-Forwarded-For': '203.0.113.200' }));
    expectThrottled(one[FAILURES_ALLOWED]!, 'sixth failure from one forwarded address');
  } finally {
    for (const server of servers) await server.stop();
    await redis.stop();
  }
}

/**
 * Graceful shutdown as Kubernetes does it: SIGTERM while requests are in flight lets each of them
 * finish with its normal answer and the process exit 0 within the grace period; a SIGTERM during
 * start-up ends the process instead of leaving it listening.
 */
export async function gracefulShutdown({ project, env }: ScaleOutOptions): Promise<void> {
  const addresses = SourceAddresses.loopback();
  const server = await startServer(project, env);
  let stopped = false;
  try {
    const account = new HttpClient(server.baseUrl, { localAddress: addresses.take() });
    const email = `grace-${randomInt(1e9)}@example.com`;
    const password = `Pw-${randomInt(1e12)}-graceful`;
    expect((await account.post('/api/v1/auth/register', loginBody(email, password))).status).toBe(201);

    // IN_FLIGHT loops, each from its own address, logging in (password hashing keeps each busy).
    let launching = true;
    const sentBeforeTerm: Promise<HttpResponse>[] = [];
    const loops = Array.from({ length: IN_FLIGHT }, async () => {
      const client = new HttpClient(server.baseUrl, { localAddress: addresses.take(), timeoutMs: GRACE_MS });
      while (launching) {
        const request = client.post('/api/v1/auth/login', loginBody(email, password));
        sentBeforeTerm.push(request);
        await request.catch(() => undefined);
      }
    });
    await sleep(1500);
    // Stop launching, then give the last requests a moment to be accepted before the signal.
    launching = false;
    await sleep(30);
    const pending = sentBeforeTerm.length;
    const started = Date.now();
    const code = await server.stop(GRACE_MS);
    stopped = true;
    const elapsed = Date.now() - started;
    const answers = await Promise.allSettled(sentBeforeTerm.slice(0, pending));
    await Promise.all(loops);
    const failures = answers.flatMap((a) => (a.status === 'rejected' ? [String(a.reason)] : a.value.status === 200 ? [] : [`${a.value.status} ${a.value.text.slice(0, 200)}`]));
    expect(failures, `requests sent before SIGTERM (${pending})\n${server.output().slice(-3000)}`).toEqual([]);
    expect(code, `exit code after SIGTERM under load (${elapsed} ms)\n${server.output().slice(-3000)}`).toBe(0);
    expect(elapsed).toBeLessThan(GRACE_MS);
  } finally {
    if (!stopped) await server.stop();
  }

  // SIGTERM 0.1-1 s after launch, at a random point of start-up.
  for (const delay of [randomInt(100, 400), randomInt(400, 700), randomInt(700, 1000)]) {
    const early = await launchServer(project, env);
    await sleep(delay);
    const code = await early.stop(10_000);
    expect(code, `SIGTERM ${delay} ms after launch: exit code\n${early.output().slice(-3000)}`).toBe(0);
    await sleep(300);
    const answered = await fetch(`${early.baseUrl}/health`).then(() => true, () => false);
    expect(answered, `nothing listens after a SIGTERM ${delay} ms after launch`).toBe(false);
  }
}
