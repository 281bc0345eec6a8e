import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { commandEnv, loadProject, readDotEnv, runProjectCommand, startServer, type Project } from './project.js';
import { defineStackE2E } from './stack-e2e.js';
import { missingTool, stackToolchain } from './toolchain.js';

defineStackE2E('php', 'sqlite');

const WORKERS = 4;

/** The php-fpm workers of the app's pool (not the /health one) whose runtime folder is under `dir` (bin/serve puts it in TMPDIR). */
async function fpmWorkers(dir: string): Promise<number[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid=,ppid=,args=']);
  const processes = stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const master = processes.find((p) => p.args.startsWith('php-fpm: master process') && p.args.includes(dir));
  if (!master) return [];
  return processes.filter((p) => p.ppid === master.pid && p.args.startsWith('php-fpm: pool app')).map((p) => p.pid);
}

/**
 * The login throttle is shared by every php-fpm worker: its counts live in the database, and an
 * attempt is counted atomically before the password is checked. With 4 workers serving requests
 * at the same time, the sixth failed login is refused, and a burst of ten gets exactly five 401s.
 */
describe('php: the login throttle holds across php-fpm workers', { timeout: 300_000 }, () => {
  let root: string;
  let project: Project | undefined;
  let missing: string | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    const toolchain = await stackToolchain('php');
    if ('missing' in toolchain) {
      missing = toolchain.missing;
      return;
    }
    root = await mkdtemp(join(tmpdir(), 'cb-e2e-php-workers-'));
    const dir = join(root, 'workers');
    const generated = await runCli([dir, '--stack', 'php', '--db', 'sqlite', '--yes', '--no-install', '--no-git', '--json']);
    if (generated.exitCode !== 0) throw new Error(`generation failed:\n${String(generated.stderr)}`);
    project = await loadProject(dir, commandEnv(toolchain.path));
    await runProjectCommand(project, project.manifest.commands.install);
    const runtime = join(root, 'run');
    await execa('mkdir', ['-p', runtime]);
    env = {
      ...(await readDotEnv(join(dir, '.env'))),
      APP_ENV: 'production',
      DATABASE_URL: `sqlite:///${join(root, 'app.db')}`,
      PHP_FPM_WORKERS: String(WORKERS),
      TMPDIR: runtime,
    };
    await runProjectCommand(project, project.manifest.commands.migrate, env);
  }, 300_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it(`gets 429 on the sixth failed login with ${WORKERS} workers, and never lets a burst past five`, async ({ skip }) => {
    if (missing || !project) return missingTool(`php: ${missing}`, skip);
    const server = await startServer(project, env);
    try {
      expect((await fpmWorkers(env.TMPDIR!)).length, 'php-fpm workers').toBe(WORKERS);
      const login = (email: string, password: string) =>
        fetch(`${server.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      const email = `workers.${Date.now()}@example.test`;
      const password = 'correct horse battery staple';
      const registered = await fetch(`${server.baseUrl}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      expect(registered.status).toBe(201);

      // Five wrong passwords at once: the workers serve them side by side, each an ordinary 401.
      const failures = await Promise.all(Array.from({ length: 5 }, () => login(email, 'wrong password 123')));
      expect(failures.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
      const sixth = await login(email, password);
      expect(sixth.status, 'the sixth attempt, even with the right password').toBe(429);
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      // Ten at once for another email: exactly five are checked, five are refused.
      const burst = await Promise.all(Array.from({ length: 10 }, () => login(`burst.${email}`, 'wrong password 123')));
      const statuses = burst.map((r) => r.status).sort();
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    } finally {
      expect(await server.stop(), server.output().slice(-3000)).toBe(0);
    }
  });
});
