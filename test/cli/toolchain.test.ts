import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { pathWithoutUv } from '../e2e/toolchain.js';

let root: string;
let shims: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cb-toolchain-'));
  shims = join(root, 'bin');
  await mkdir(shims);
  // An old Node and old Pythons first on PATH, as on a stock LTS-behind machine.
  const shim = async (name: string, output: string): Promise<void> => {
    await writeFile(join(shims, name), `#!/bin/sh\necho '${output}'\n`);
    await chmod(join(shims, name), 0o755);
  };
  // 22.15: the last release before the node:sqlite APIs generated projects use.
  await shim('node', '22.15.0');
  await shim('npm', '10.2.4');
  for (const python of ['python3', 'python3.11', 'python3.12', 'python3.13']) await shim(python, '3.9.18');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The CLI itself runs on this Node; the project's tools are looked up on the shimmed PATH (without uv unless given). */
const run = (args: string[], path = `${shims}:${pathWithoutUv()}`) =>
  execa(process.execPath, [CLI, ...args], { cwd: root, reject: false, stdin: 'ignore', env: { CI: '', PATH: path } });

describe('a missing or old toolchain', () => {
  it('Node 22.15: writes the project, skips the install with one paragraph, exits 3', async () => {
    const result = await run(['old-node', '--stack', 'node', '--yes', '--no-git']);
    expect(result.exitCode, String(result.stderr)).toBe(3);
    expect(String(result.stderr)).toMatch(/Not installing dependencies\. The project needs Node\.js 22\.16 or newer .* found node 22\.15\.0\..*nvm install 24/);
    expect(String(result.stdout)).toContain('npm install');
    expect(JSON.parse(await readFile(join(root, 'old-node', 'package.json'), 'utf8')).name).toBe('old-node');
    await expect(stat(join(root, 'old-node', 'node_modules'))).rejects.toThrow();
  });

  it('Python 3.9 everywhere: writes the project, skips the install, says which Python to get; --json carries it', async () => {
    const result = await run(['old-python', '--stack', 'flask', '--yes', '--no-git', '--json']);
    expect(result.exitCode, String(result.stderr)).toBe(3);
    const report = JSON.parse(String(result.stdout));
    expect(report.toolchain).toEqual({ ok: false, problem: expect.stringMatching(/Python 3\.11 or newer .* found python3 3\.9\.18, python3\.13 3\.9\.18/) });
    expect(report.nextSteps.join('\n')).toContain('python3 -m venv .venv');
    await expect(stat(join(root, 'old-python', 'app', '__init__.py'))).resolves.toBeTruthy();
    await expect(stat(join(root, 'old-python', '.venv'))).rejects.toThrow();
  });

  it('with uv on PATH, a Python project installs with it and its manifest records the uv commands', async () => {
    const uvShims = join(root, 'uv-bin');
    await mkdir(uvShims);
    // Answers --version; records any other call (the install) instead of installing.
    await writeFile(join(uvShims, 'uv'), `#!/bin/sh\nif [ "$1" = --version ]; then echo 'uv 0.13.9 (test)'; else echo "$*" > uv-called; fi\n`);
    await chmod(join(uvShims, 'uv'), 0o755);
    const result = await run(['with-uv', '--stack', 'django', '--yes', '--no-git'], `${uvShims}:${shims}:${pathWithoutUv()}`);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stderr)).toContain('Installing dependencies with uv 0.13.9 (uv sync --locked)');
    expect(await readFile(join(root, 'with-uv', 'uv-called'), 'utf8')).toBe('sync --locked\n');
    const manifest = JSON.parse(await readFile(join(root, 'with-uv', '.create-backend.json'), 'utf8'));
    expect(manifest.commands).toMatchObject({ install: 'uv sync --locked', test: 'uv run pytest', lint: 'uv run ruff check . && uv run ruff format --check . && uv run mypy .' });
    expect(String(result.stdout)).toContain('uv run pytest');
  });

  it('without uv, the manifest records pip and the .venv commands', async () => {
    const result = await run(['without-uv', '--stack', 'flask', '--yes', '--no-git', '--no-install']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const manifest = JSON.parse(await readFile(join(root, 'without-uv', '.create-backend.json'), 'utf8'));
    expect(manifest.commands.install).toBe('python3 -m venv .venv && .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt');
    expect(manifest.commands.lint).toBe('.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy .');
  });

  it('takes python3 when it is new enough, even when versioned interpreters exist too', async () => {
    const { checkToolchain } = await import('../../src/tasks/toolchain.js');
    const result = await checkToolchain('flask');
    // This machine's python3 is >= 3.11 (the e2e runs need it).
    expect(result).toEqual({ ok: true, found: expect.stringMatching(/^python3 3\.(1[1-9]|[2-9]\d)\./) });
  });

  it('with --no-install, checks nothing and exits 0', async () => {
    const result = await run(['no-install', '--stack', 'node', '--yes', '--no-git', '--no-install']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stderr)).not.toContain('Not installing');
  });
});
