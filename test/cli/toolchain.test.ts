import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';

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
  await shim('node', '20.11.1');
  await shim('npm', '10.2.4');
  for (const python of ['python3', 'python3.11', 'python3.12', 'python3.13']) await shim(python, '3.9.18');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The CLI itself runs on this Node; the project's tools are looked up on the shimmed PATH. */
const run = (args: string[]) =>
  execa(process.execPath, [CLI, ...args], { cwd: root, reject: false, stdin: 'ignore', env: { CI: '', PATH: `${shims}:${process.env.PATH}` } });

describe('a missing or old toolchain', () => {
  it('Node 20: writes the project, skips the install with one paragraph, exits 3', async () => {
    const result = await run(['old-node', '--stack', 'node', '--yes', '--no-git']);
    expect(result.exitCode, String(result.stderr)).toBe(3);
    expect(String(result.stderr)).toMatch(/Not installing dependencies\. The project needs Node\.js 22\.13 or newer .* found node 20\.11\.1\..*nvm install 24/);
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
