import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { findNginx, startNginx } from './nginx.js';
import { commandEnv, loadProject, plainProductionEnv, readDotEnv, runProjectCommand, startServer, type Project, type RunningServer } from './project.js';
import { rawRequest, slowClients, timedHealth } from './raw-http.js';
import { missingTool, pathWithoutUv, stackToolchain } from './toolchain.js';

/** What gunicorn itself rejects, before the application sees the request, and the status it picks. */
const REJECTED = [
  { name: 'an overlong request line', status: 414, request: `GET /${'a'.repeat(5000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n` },
  { name: 'a bad request line', status: 400, request: 'GET /health\r\n\r\n' },
  { name: 'an invalid method', status: 400, request: 'G@T /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' },
  { name: 'an invalid HTTP version', status: 400, request: 'GET /health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n' },
  {
    name: 'too many headers',
    status: 431,
    request: `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: 101 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`,
  },
  { name: 'an oversize header', status: 431, request: `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(9000)}\r\n\r\n` },
];

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** Slowloris: connections that each send one more header line every 1.5 s. */
const SLOW_CLIENTS = 24;

/**
 * gunicorn as each Python project serves in production (its start command, gunicorn.conf.py,
 * APP_ENV=production): the responses gunicorn writes itself, and slow clients with and without
 * the project's nginx configuration in front.
 */
describe.each(['django', 'flask'] as const)('%s under gunicorn', (stack) => {
  let root: string | undefined;
  let project: Project;
  let server: RunningServer | undefined;
  let gunicornPort: number;
  let missing: string | undefined;

  beforeAll(async () => {
    const toolchain = await stackToolchain(stack);
    if ('missing' in toolchain) {
      missing = toolchain.missing;
      return;
    }
    root = await mkdtemp(join(tmpdir(), `cb-server-${stack}-`));
    const dir = join(root, `server-${stack}`);
    // A machine without uv: the CLI records pip, which installs requirements-dev.txt (exported
    // from uv.lock) into .venv; the stack end-to-end runs cover uv.
    const PATH = pathWithoutUv();
    const generated = await runCli([dir, '--stack', stack, '--db', 'sqlite', '--yes', '--no-install', '--no-git'], { env: { CI: '', PATH } });
    if (generated.exitCode !== 0) throw new Error(`generation failed:\n${String(generated.stderr)}`);
    project = await loadProject(dir, commandEnv('', { PATH }));
    await runProjectCommand(project, project.manifest.commands.install);
    const env = {
      ...(await readDotEnv(join(dir, '.env'))),
      APP_ENV: 'production',
      DATABASE_URL: `sqlite:///${join(root, 'app.db')}`,
      // One worker process: which of several would accept each connection is up to the kernel,
      // and one left with a free thread would make the slow-client result a matter of luck.
      WEB_CONCURRENCY: '1',
      LOG_LEVEL: 'warning',
      ...plainProductionEnv(stack),
    };
    await runProjectCommand(project, project.manifest.commands.migrate, env);
    server = await startServer(project, env);
    gunicornPort = Number(new URL(server.baseUrl).port);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const needsToolchain = (skip: (note?: string) => void): void => {
    if (missing) missingTool(`${stack}: ${missing}`, skip);
  };

  it('installs with pip where uv is missing, and its lint (ruff, mypy) passes from that install', async ({ skip }) => {
    needsToolchain(skip);
    expect(project.manifest.commands.install).toMatch(/^python3 -m venv \.venv && .*pip install .*-r requirements-dev\.txt$/);
    expect(project.manifest.commands.lint).toContain('.venv/bin/mypy .');
    await runProjectCommand(project, project.manifest.commands.lint!);
  }, 300_000); // mypy's first run, with no cache

  it('answers the requests gunicorn rejects itself with problem+json and the security headers', async ({ skip }) => {
    needsToolchain(skip);
    for (const { name, status, request } of REJECTED) {
      const response = await rawRequest(gunicornPort, request);
      expect(response.status, name).toBe(status);
      expect(response.headers['content-type'], name).toBe('application/problem+json');
      expect(response.headers, name).toMatchObject(SECURITY_HEADERS);
      // The reason phrase only: gunicorn's own message would quote the request.
      expect(JSON.parse(response.body), name).toEqual({ type: 'about:blank', title: response.reason, status });
      console.log(`[${stack}] ${name}: ${status} ${response.reason}, ${response.headers['content-type']}`);
    }
  });

  it(`stops answering /health within 2 s while ${SLOW_CLIENTS} slow clients hold gunicorn directly`, async ({ skip }) => {
    needsToolchain(skip);
    const slow = await slowClients(gunicornPort, SLOW_CLIENTS);
    try {
      await new Promise((r) => setTimeout(r, 500)); // every slow connection accepted and read from
      await expect(timedHealth(gunicornPort, 2_000)).rejects.toThrow(/no response within 2000 ms/);
      console.log(`[${stack}] gunicorn alone, ${slow.open()} slow clients: /health did not answer within 2000 ms`);
    } finally {
      slow.close();
    }
    // Their threads come free as the connections close; the next test starts from a healthy server.
    const deadline = Date.now() + 30_000;
    while ((await timedHealth(gunicornPort, 2_000).catch(() => undefined))?.status !== 200) {
      if (Date.now() > deadline) throw new Error(`gunicorn did not recover:\n${server!.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it(`answers /health within 1 s through the project's nginx while ${SLOW_CLIENTS} slow clients (and ${SLOW_CLIENTS} slow bodies) stay connected to it`, async ({ skip }) => {
    needsToolchain(skip);
    const nginx = await findNginx();
    if (!nginx) return missingTool('nginx not found (the Docker setup serves through it); run scripts/setup-test-tools.sh', skip);
    const config = join(project.dir, 'docker', 'nginx.conf');
    expect(existsSync(config), 'the docker layer ships docker/nginx.conf').toBe(true);
    const proxy = await startNginx(nginx, config, gunicornPort);
    const slow = await slowClients(proxy.port, SLOW_CLIENTS);
    // Bodies sent a byte at a time would hold gunicorn's threads too, unless nginx buffers them.
    const slowBodies = await slowClients(proxy.port, SLOW_CLIENTS, { body: true });
    try {
      // Right away, and again after two more lines (or bytes) from each slow client.
      for (const wait of [500, 3_000]) {
        await new Promise((r) => setTimeout(r, wait));
        const health = await timedHealth(proxy.port, 1_000);
        expect(health.status).toBe(200);
        expect(health.ms).toBeLessThan(1_000);
        expect(slow.open(), 'the slow clients are still connected').toBe(SLOW_CLIENTS);
        expect(slowBodies.open(), 'the slow bodies are still being sent').toBe(SLOW_CLIENTS);
        console.log(`[${stack}] through nginx, ${slow.open()} slow clients and ${slowBodies.open()} slow bodies open: /health ${health.status} in ${health.ms} ms`);
      }
    } finally {
      slow.close();
      slowBodies.close();
      await proxy.stop();
    }
  });
});
