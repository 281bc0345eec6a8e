import { execa, type ResultPromise } from 'execa';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './project.js';
import { timedHealth } from './raw-http.js';

/** nginx from PATH or /usr/sbin (scripts/setup-test-tools.sh installs it), or undefined. */
export async function findNginx(): Promise<string | undefined> {
  const found = await execa('sh', ['-c', 'command -v nginx || { test -x /usr/sbin/nginx && echo /usr/sbin/nginx; }'], { reject: false });
  return found.exitCode === 0 ? found.stdout.trim() : undefined;
}

/** Replaces `find` in `text`, which must occur exactly `times` times (the shipped file changed otherwise). */
function replaceExactly(text: string, find: string, replacement: string, times = 1): string {
  const count = text.split(find).length - 1;
  if (count !== times) throw new Error(`expected ${times} × ${JSON.stringify(find)} in the nginx configuration, found ${count}`);
  return text.replaceAll(find, replacement);
}

/**
 * A project's shipped nginx configuration (docker/nginx.conf, written for the compose network)
 * as it runs here: upstream on 127.0.0.1:`upstreamPort` (one fixed address: this machine's nginx
 * may predate `resolve`), listening on 127.0.0.1:`listenPort`,
 * the pid file and temporary files in `dir` instead of the container's /tmp.
 */
export function renderNginxConfig(text: string, upstreamPort: number, listenPort: number, dir: string): string {
  // Compose's DNS (127.0.0.11) and re-resolving `app` for its replicas have no meaning here.
  let rendered = replaceExactly(text, 'server app:8000 resolve;', `server 127.0.0.1:${upstreamPort};`);
  rendered = replaceExactly(rendered, 'resolver 127.0.0.11 valid=10s ipv6=off;', '');
  rendered = replaceExactly(rendered, 'listen 8080;', `listen 127.0.0.1:${listenPort};`);
  const temporaryPaths = text.split(' /tmp/').length - 1;
  if (temporaryPaths === 0) throw new Error('no /tmp paths in the nginx configuration');
  return replaceExactly(rendered, ' /tmp/', ` ${dir}/`, temporaryPaths);
}

export interface RunningNginx {
  readonly port: number;
  readonly output: () => string;
  readonly stop: () => Promise<void>;
}

/**
 * Runs nginx in the foreground with a project's configuration in front of 127.0.0.1:`upstreamPort`,
 * unprivileged: a free high port, everything it writes (pid, temporary files, error log) in a new
 * temporary folder. Resolves once `GET /health` answers 200 through it.
 */
export async function startNginx(nginx: string, configFile: string, upstreamPort: number): Promise<RunningNginx> {
  const dir = await mkdtemp(join(tmpdir(), 'cb-nginx-'));
  // Started as root, nginx runs its workers as `nobody`, which must reach the temporary files.
  await chmod(dir, 0o755);
  const port = await freePort();
  const config = join(dir, 'nginx.conf');
  await writeFile(config, renderNginxConfig(await readFile(configFile, 'utf8'), upstreamPort, port, dir));
  const args = ['-p', `${dir}/`, '-c', config, '-e', join(dir, 'error.log')];
  const check = await execa(nginx, [...args, '-t', '-q'], { reject: false, all: true });
  if (check.exitCode !== 0) throw new Error(`nginx refused the configuration:\n${check.all}`);
  const child: ResultPromise = execa(nginx, [...args, '-g', 'daemon off;'], { all: true, reject: false, stdin: 'ignore' });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  void child.then(() => (exited = true));
  const stop = async (): Promise<void> => {
    if (!exited) child.kill('SIGTERM');
    await child;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await timedHealth(port, 2_000).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (exited || Date.now() > deadline) {
      const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
      await stop();
      throw new Error(`nginx did not proxy /health:\n${output}\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, output: () => output, stop };
}
