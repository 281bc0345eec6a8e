import { execa, type ResultPromise } from 'execa';
import type { StackId } from '../../src/answers/questions.js';
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ProjectManifest } from '../../src/engine/manifest.js';

/** A generated project driven only through the commands its manifest declares. */
export interface Project {
  readonly dir: string;
  readonly manifest: ProjectManifest;
  /** Environment every project command runs with (toolchain on PATH, no npm_* leakage). */
  readonly env: Record<string, string>;
}

/** Reads a dotenv file into an object (enough for the files we generate). */
export async function readDotEnv(path: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match) out[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** The environment for project commands: ours minus what would leak into nested npm/pip runs. */
export function commandEnv(pathPrefix: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(npm_|NODE_OPTIONS$|VIRTUAL_ENV$|VITEST|TEST_DATABASE_URL$|DATABASE_URL$)/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = [pathPrefix, process.env.PATH].filter(Boolean).join(':');
  return { ...env, ...extra };
}

/** Runs one of the project's shell commands; the error carries its output. */
export async function runProjectCommand(project: Project, command: string, extraEnv: Record<string, string> = {}, timeout = 600_000): Promise<string> {
  const result = await execa(command, { cwd: project.dir, shell: true, env: { ...project.env, ...extraEnv }, extendEnv: false, all: true, reject: false, timeout, stdin: 'ignore' });
  if (result.exitCode !== 0) {
    throw new Error(`\`${command}\` exited ${result.exitCode ?? result.signal} in ${project.dir}:\n${String(result.all).slice(-6000)}`);
  }
  return String(result.all);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running server started with the project's `commands.start`. */
export interface RunningServer {
  readonly baseUrl: string;
  /** The process group's id (the group leader's pid): every worker of the server is in it. */
  readonly pid: number;
  readonly port: number;
  readonly output: () => string;
  /** Whether the process group's leader has exited. */
  readonly exited: () => boolean;
  /**
   * SIGTERM to the whole process group; resolves with the exit code (a shell killed by the
   * SIGTERM it forwarded counts as 0). SIGKILL follows after `killAfterMs` and yields undefined.
   */
  readonly stop: (killAfterMs?: number) => Promise<number | undefined>;
}

/** Where a server's output goes: kept in memory (the default), or appended to a file. */
export interface ServerOutput {
  /**
   * A file for stdout and stderr, as a container runtime writes them: a server under load
   * logs megabytes a second, which in memory would cost the measuring process CPU and memory
   * (and overflow execa's buffer, which ends the server).
   */
  readonly logFile?: string;
}

/** The last `bytes` of a file: a log written under load can outgrow what a string may hold. */
function readTail(file: string, bytes: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(size, bytes));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Launches the project's `commands.start` on `port` without waiting for it to be ready. */
export async function launchServer(project: Project, env: Record<string, string>, port?: number, { logFile }: ServerOutput = {}): Promise<RunningServer> {
  const listenPort = port ?? (await freePort());
  const child: ResultPromise = execa(project.manifest.commands.start, {
    cwd: project.dir,
    shell: true,
    detached: true, // own process group, so stop() reaches npm's or gunicorn's children too
    env: { ...project.env, ...env, HOST: '127.0.0.1', PORT: String(listenPort) },
    extendEnv: false,
    // Both appended to one file: O_APPEND keeps their lines whole.
    ...(logFile === undefined ? { all: true } : { stdout: { file: logFile, append: true }, stderr: { file: logFile, append: true } }),
    reject: false,
    stdin: 'ignore',
  });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  void child.then(() => (exited = true));
  return {
    baseUrl: `http://127.0.0.1:${listenPort}`,
    pid: child.pid!,
    port: listenPort,
    output: () => (logFile === undefined ? output : readTail(logFile, 64 * 1024)),
    exited: () => exited,
    stop: async (killAfterMs = 15_000) => {
      if (!exited) {
        process.kill(-child.pid!, 'SIGTERM');
        let killed = false;
        const timer = setTimeout(() => {
          killed = true;
          process.kill(-child.pid!, 'SIGKILL');
        }, killAfterMs);
        await child;
        clearTimeout(timer);
        if (killed) return undefined;
      }
      const result = await child;
      return result.exitCode ?? (result.signal === 'SIGTERM' ? 0 : undefined);
    },
  };
}

/** Starts the project's server and waits until `GET /health` answers 200. */
export async function startServer(project: Project, env: Record<string, string>, timeoutMs = 90_000, port?: number, output: ServerOutput = {}): Promise<RunningServer> {
  const server = await launchServer(project, env, port, output);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exited()) throw new Error(`server exited before it was ready:\n${server.output().slice(-6000)}`);
    if (Date.now() > deadline) {
      await server.stop(0);
      throw new Error(`server not ready after ${timeoutMs} ms:\n${server.output().slice(-6000)}`);
    }
    const ok = await fetch(`${server.baseUrl}/health`).then((r) => r.status === 200, () => false);
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a command that must fail fast (e.g. a production boot with a bad secret). */
export async function expectRefusal(project: Project, command: string, env: Record<string, string>): Promise<{ exitCode: number | undefined; output: string }> {
  const result = await execa(command, { cwd: project.dir, shell: true, env: { ...project.env, ...env }, extendEnv: false, all: true, reject: false, timeout: 60_000, stdin: 'ignore' });
  return { exitCode: result.timedOut ? undefined : result.exitCode, output: String(result.all) };
}

/** Loads a generated project's manifest. */
export async function loadProject(dir: string, env: Record<string, string>): Promise<Project> {
  const manifest = JSON.parse(await readFile(join(dir, '.create-backend.json'), 'utf8')) as ProjectManifest;
  return { dir, manifest, env };
}

/**
 * How each stack's test runner says it passed: pytest and vitest "N passed", PHPUnit "OK (N tests"
 * or, with tests it skipped, "OK, but some tests were skipped!".
 */
export const TESTS_PASSED = /\d+ passed|\bOK \(\d+ tests?|^OK, but some tests were skipped!/im;

/**
 * The machine's Redis for the projects' own Redis-backed tests (each uses a key prefix of its
 * own, in a database of its own), when one answers; without it those tests say they are skipped.
 */
export async function redisTestEnv(): Promise<Record<string, string>> {
  const ping = await execa('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'ping'], { reject: false });
  return ping.stdout?.trim() === 'PONG' ? { TEST_REDIS_URL: 'redis://127.0.0.1:6379/15' } : {};
}

/** What a stack needs besides its generated .env to run in production mode on 127.0.0.1. */
export const PRODUCTION_ENV: Readonly<Partial<Record<StackId, Readonly<Record<string, string>>>>> = {
  django: { DJANGO_ALLOWED_HOSTS: '127.0.0.1,localhost' },
};

/** What a stack needs to serve plain HTTP in production mode (TLS normally ends at a proxy). */
export const PLAIN_HTTP_ENV: Readonly<Partial<Record<StackId, Readonly<Record<string, string>>>>> = {
  django: { DJANGO_SECURE_SSL_REDIRECT: 'false' },
};

/** Both of the above: production mode over plain HTTP on 127.0.0.1. */
export function plainProductionEnv(stack: StackId): Record<string, string> {
  return { ...PRODUCTION_ENV[stack], ...PLAIN_HTTP_ENV[stack] };
}
