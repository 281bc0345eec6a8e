import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';

let root: string;
/** Shims for a Node project's toolchain: a new enough node, and an npm whose install is scripted. */
const shimDir = (name: string): string => join(root, name);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cb-install-'));
  const shim = async (dir: string, name: string, body: string): Promise<void> => {
    await mkdir(shimDir(dir), { recursive: true });
    await writeFile(join(shimDir(dir), name), `#!/bin/sh\n${body}\n`);
    await chmod(join(shimDir(dir), name), 0o755);
  };
  for (const dir of ['failing', 'slow']) await shim(dir, 'node', 'echo 24.1.0');
  // 50 lines of output, an error, exit 1: only the tail belongs on the screen.
  await shim('failing', 'npm', 'case "$1" in --version) echo 11.0.0;; *) i=1; while [ $i -le 50 ]; do echo "npm-line-$i"; i=$((i+1)); done; echo "npm ERR! boom" >&2; exit 1;; esac');
  await shim('slow', 'npm', 'case "$1" in --version) echo 11.0.0;; *) echo "noise that belongs in the log"; sleep 2;; esac');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the install step', () => {
  it('keeps the tool output in a log file and shows its tail when the install fails', async () => {
    const result = await execa(process.execPath, [CLI, 'failing-app', '--stack', 'node', '--yes', '--no-git'], {
      cwd: root,
      reject: false,
      stdin: 'ignore',
      env: { CI: '', PATH: `${shimDir('failing')}:${process.env.PATH}` },
    });
    expect(result.exitCode).toBe(1);
    const stderr = String(result.stderr);
    expect(stderr).toMatch(/`npm install --no-audit --no-fund` failed in .*failing-app \(exit 1\)|`npm [^`]*` failed in .*failing-app \(exit 1\)/);
    expect(stderr).toContain('npm ERR! boom');
    expect(stderr).toContain('npm-line-50');
    expect(stderr).not.toMatch(/npm-line-1\n/);
    const logFile = /The whole output is in (\S+)\. /.exec(stderr)?.[1];
    expect(logFile).toBeTruthy();
    const log = await readFile(logFile!, 'utf8');
    expect(log).toContain('npm-line-1\n');
    expect(log).toContain('npm ERR! boom');
    await rm(logFile!);
    // The project is written all the same.
    await expect(stat(join(root, 'failing-app', 'package.json'))).resolves.toBeTruthy();
  });

  it('shows a spinner with the elapsed time on a terminal, and no tool output', async () => {
    const session = `cb-install-${process.pid}`;
    const command = `PATH='${shimDir('slow')}':"$PATH" CI= '${process.execPath}' '${CLI}' slow-app --stack node --yes --no-git; sleep 30`;
    await execa('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', root, command]);
    try {
      let screen = '';
      for (let i = 0; i < 60 && !/Next steps/.test(screen); i++) {
        await new Promise((r) => setTimeout(r, 250));
        screen = (await execa('tmux', ['capture-pane', '-p', '-t', session])).stdout;
      }
      expect(screen).toMatch(/✔ Installing dependencies with node 24\.1\.0, npm 11\.0\.0 \(.*\) \([23] s\)/);
      expect(screen).not.toContain('noise that belongs in the log');
    } finally {
      await execa('tmux', ['kill-session', '-t', session], { reject: false });
    }
  });
});
