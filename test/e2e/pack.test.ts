import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandEnv, readDotEnv } from './project.js';
import { missingTool, NODE24_BIN, stackToolchain } from './toolchain.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the published package', { timeout: 900_000 }, () => {
  let work: string;
  let tarball: string;
  let packInfo: { size: number; unpackedSize: number; files: { path: string }[] };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cb-pack-'));
    const packed = await execa('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, env: commandEnv('') , extendEnv: false });
    packInfo = (JSON.parse(packed.stdout) as (typeof packInfo & { filename: string })[])[0]!;
    tarball = join(work, (packInfo as unknown as { filename: string }).filename);
  }, 120_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('is one bundled package: no runtime dependencies, at most 3.75 MiB installed', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.dependencies ?? {}).toEqual({});
    // 3.2 MiB in 0.4.0: the Python stacks' uv.lock and the pip requirements exported from it are
    // most of the growth (docs/decisions.md). 3.50 MiB in 0.6.0 (Flask's app/pages.py and its tests).
    expect(packInfo.unpackedSize).toBeLessThanOrEqual(3.75 * 1024 * 1024);
    expect(packInfo.files.map((f) => f.path)).toContain('dist/cli.cjs');
    expect(packInfo.files.every((f) => f.path.startsWith('dist/') || ['package.json', 'README.md', 'LICENSE'].includes(f.path))).toBe(true);
  });

  it('runs from the tarball with npm exec, flags and all, as `npm create` does', async () => {
    const dir = join(work, 'exec');
    await execa('mkdir', ['-p', dir]);
    const env = { ...commandEnv(''), npm_config_yes: 'true' };
    const result = await execa('npm', ['exec', `--package=${tarball}`, '--', 'create-backend', 'x', '--stack', 'node', '--yes', '--no-install', '--no-git'], { cwd: dir, env, extendEnv: false, all: true, reject: false });
    expect(result.exitCode, String(result.all).slice(-3000)).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'x', '.create-backend.json'), 'utf8')).answers.stack).toBe('node');
  });

  it('installs from the tarball in an empty directory; `npx create-backend my-api --stack node --yes` gives a project that installs and passes its tests', async ({ skip }) => {
    const toolchain = await stackToolchain('node');
    if ('missing' in toolchain) return missingTool(toolchain.missing, skip);
    const app = join(work, 'consumer');
    const env = {
      ...commandEnv(NODE24_BIN),
      GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.test', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.test',
    };
    await execa('mkdir', ['-p', app]);
    await execa('npm', ['init', '-y'], { cwd: app, env, extendEnv: false });
    await execa('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: app, env, extendEnv: false });
    const created = await execa('npx', ['create-backend', 'my-api', '--stack', 'node', '--yes'], { cwd: app, env, extendEnv: false, all: true, reject: false });
    expect(created.exitCode, String(created.all).slice(-4000)).toBe(0);
    const project = join(app, 'my-api');
    const log = await execa('git', ['log', '--oneline'], { cwd: project });
    expect(log.stdout).toMatch(/Initial commit from create-backend/);
    // The first commit must not contain the secrets file.
    const tracked = (await execa('git', ['ls-files'], { cwd: project })).stdout.split('\n');
    expect(tracked).not.toContain('.env');
    expect(tracked).toContain('.env.example');
    expect((await readDotEnv(join(project, '.env'))).JWT_SECRET?.length).toBeGreaterThanOrEqual(32);
    const tested = await execa('npm', ['test'], { cwd: project, env, extendEnv: false, all: true, reject: false });
    expect(tested.exitCode, String(tested.all).slice(-4000)).toBe(0);
  });
});
