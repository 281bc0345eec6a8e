import { execa } from 'execa';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadTemplateBundle } from '../../src/engine/template-loader.js';
import { VERSION } from '../../src/generated/version.js';
import { STACKS } from '../../src/stacks/stacks.js';
import { runCli } from '../helpers/cli.js';
import { buildNextVersion, NEXT_CHANGED_FILE, NEXT_DOCKERFILE_LINE, NEXT_NEW_FILE, NEXT_PIN, NEXT_REMOVED_FILE, type NextVersion } from '../helpers/next-version.js';
import { git, GIT_ENV, treeHash } from '../helpers/project-tree.js';
import { editProject, resolveTakingOurs, type UpdateReport } from '../helpers/user-edits.js';

let root: string;
let next: NextVersion;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cb-update-'));
  next = await buildNextVersion();
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await next?.dispose();
});

const env = { CI: '', ...GIT_ENV };
const current = (args: string[], cwd?: string) => runCli(args, { env, ...(cwd ? { cwd } : {}) });
const nextCli = (args: string[], cwd: string, extra: Record<string, string> = {}) => execa('node', [next.cli, ...args], { cwd, reject: false, stdin: 'ignore', env: { ...env, ...extra } });
const statusOf = (report: UpdateReport, path: string) => report.files.find((f) => f.path === path)?.status;
const stacks = Object.values(STACKS).filter((s) => !s.unavailable).map((s) => s.id);

describe.each(stacks)('update of a %s project', (stack) => {
  it('applies every template change, keeps every edit, reports the README conflict with exit 2, and a second update changes nothing', async () => {
    const dir = join(root, `git-${stack}`);
    const created = await current([dir, '--stack', stack, '--yes', '--no-install']);
    expect(created.exitCode, String(created.stderr)).toBe(0);
    const edits = await editProject(dir, stack);
    await git(['add', '--all'], dir);
    await git(['commit', '-qm', 'our edits'], dir);

    // The registries are unreachable: update must not need them.
    const offline = { npm_config_registry: 'http://127.0.0.1:9/', PIP_INDEX_URL: 'http://127.0.0.1:9/simple', COMPOSER_DISABLE_NETWORK: '1' };
    const result = await nextCli(['update', '--json'], dir, offline);
    expect(result.exitCode, String(result.stderr)).toBe(2);
    const report = JSON.parse(String(result.stdout)) as UpdateReport;
    expect(report.base).toBe('git');
    expect(report.conflicts).toEqual(['README.md']);
    const readmeEntry = report.files.find((f) => f.path === 'README.md')!;
    expect(readmeEntry.conflicts!.length).toBeGreaterThan(0);

    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/^<<<<<<< yours$/m);
    expect(readme).toContain(edits.readmeTitle);
    expect(readme).toContain(next.readmeTitle(`git-${stack}`));
    expect(readme).toMatch(/^>>>>>>> create-backend /m);
    // Template changes applied.
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toContain(NEXT_DOCKERFILE_LINE);
    expect(statusOf(report, NEXT_NEW_FILE)).toBe('create');
    expect(statusOf(report, NEXT_REMOVED_FILE)).toBe('delete');
    await expect(readFile(join(dir, NEXT_REMOVED_FILE))).rejects.toThrow();
    const pin = NEXT_PIN[stack];
    if (pin) expect(await readFile(join(dir, pin.file), 'utf8')).toContain(pin.version);
    // Edits kept: app code, the added dependency and script, the deleted file stays deleted.
    expect(await readFile(join(dir, edits.codeFile), 'utf8')).toContain(edits.codeLine);
    for (const [file, text] of edits.dependency) expect(await readFile(join(dir, file), 'utf8')).toContain(text);
    expect(statusOf(report, NEXT_CHANGED_FILE)).toBe('skip');
    await expect(readFile(join(dir, NEXT_CHANGED_FILE))).rejects.toThrow();
    const manifest = JSON.parse(await readFile(join(dir, '.create-backend.json'), 'utf8'));
    expect(manifest.generator.version).toBe(next.version);
    // git sees the conflict as a merge would.
    expect((await git(['status', '--porcelain'], dir)).stdout).toMatch(/^UU README\.md$/m);

    await resolveTakingOurs(join(dir, 'README.md'));
    await git(['add', '--all'], dir);
    await git(['commit', '-qm', 'update'], dir);
    const before = await treeHash(dir);
    const again = await nextCli(['update'], dir);
    expect(again.exitCode, String(again.stderr)).toBe(0);
    expect(String(again.stderr)).toContain('up to date');
    expect(await treeHash(dir)).toBe(before);
  }, 120_000);

  it('without git, falls back to the hashes: untouched files update, edited ones conflict, nothing is lost', async () => {
    const dir = join(root, `nogit-${stack}`);
    expect((await current([dir, '--stack', stack, '--yes', '--no-install', '--no-git'])).exitCode).toBe(0);
    const edits = await editProject(dir, stack);
    const result = await nextCli(['update', '--json'], dir);
    expect(result.exitCode, String(result.stderr)).toBe(2);
    const report = JSON.parse(String(result.stdout)) as UpdateReport;
    expect(report.base).toBe('hashes');
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toContain(NEXT_DOCKERFILE_LINE);
    expect(statusOf(report, NEXT_REMOVED_FILE)).toBe('delete');
    await expect(readFile(join(dir, NEXT_CHANGED_FILE))).rejects.toThrow();
    expect(report.conflicts).toContain('README.md');
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(edits.readmeTitle);
    expect(await readFile(join(dir, edits.codeFile), 'utf8')).toContain(edits.codeLine);
    for (const [file, text] of edits.dependency) expect(await readFile(join(dir, file), 'utf8')).toContain(text);
  }, 120_000);
});

describe('a project made by 0.1.0', () => {
  it('reads its schema-1 manifest and says what its database needs before migrating', async () => {
    const dir = join(root, 'schema-one');
    expect((await current([dir, '--stack', 'flask', '--yes', '--no-install', '--no-git'])).exitCode).toBe(0);
    const path = join(dir, '.create-backend.json');
    const manifest = JSON.parse(await readFile(path, 'utf8'));
    // 0.1.0 wrote no schemaVersion and no resources, and kept the features beside the answers.
    const { features, ...answers } = manifest.answers;
    await writeFile(path, JSON.stringify({ generator: { name: 'create-backend', version: '0.1.0' }, stack: manifest.stack, features, answers, commands: manifest.commands, files: manifest.files }, null, 2));
    const result = await nextCli(['update', '--json'], dir);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const report = JSON.parse(String(result.stdout)) as UpdateReport & { from: string; notices: string[] };
    expect(report.from).toBe('0.1.0');
    expect(report.notices.join('\n')).toContain('alembic stamp 0002');
    const after = JSON.parse(await readFile(path, 'utf8'));
    expect(after.schemaVersion).toBe(2);
    expect(after.resources.map((r: { name: string }) => r.name)).toEqual(['Note']);
    expect(after.answers.features).toEqual(['docker', 'ci', 'backup']);
  });
});

describe('update moves files a template migration renamed, with the edits in them', () => {
  it('writes the edited file at its new path and removes the old one', async () => {
    const dir = join(root, 'migration');
    expect((await current([dir, '--stack', 'flask', '--yes', '--no-install'])).exitCode).toBe(0);
    await appendFile(join(dir, 'ops/backup/README.md'), '\nOur restore runbook lives in the wiki.\n');
    const manifestPath = join(dir, '.create-backend.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.generator.version = '0.0.1';
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    await git(['commit', '-qam', 'our runbook note'], dir);
    const real = await loadTemplateBundle(['shared', 'flask']);
    const layers = Object.fromEntries(Object.entries(real.layers).map(([layer, files]) => [layer, files.map((f) => (layer === 'shared/backup' && f.path === 'ops/backup/README.md' ? { ...f, path: 'ops/backup/GUIDE.md' } : f))]));
    let err = '';
    const code = await main({
      argv: ['update', '--dir', dir],
      cwd: root,
      env: {},
      isTTY: async () => false,
      version: VERSION,
      stdout: () => undefined,
      stderr: (t) => (err += t),
      loadBundle: async () => ({ ...real, layers }),
      migrations: [{ version: VERSION, description: 'backup guide renamed', renames: [['ops/backup/README.md', 'ops/backup/GUIDE.md']] }],
    });
    expect(code, err).toBe(0);
    expect(await readFile(join(dir, 'ops/backup/GUIDE.md'), 'utf8')).toContain('Our restore runbook lives in the wiki.');
    await expect(readFile(join(dir, 'ops/backup/README.md'))).rejects.toThrow();
  });
});

describe('bad input to update: exit 1, one message with a hint, nothing written', () => {
  let project: string;
  beforeAll(async () => {
    project = join(root, 'bad-update');
    expect((await current([project, '--stack', 'flask', '--yes', '--no-install'])).exitCode).toBe(0);
  });

  const variant = async (name: string, change: (dir: string) => Promise<void>): Promise<string> => {
    const dir = join(root, name);
    await cp(project, dir, { recursive: true });
    await change(dir);
    return dir;
  };
  const manifestEdit = (edit: (m: Record<string, any>) => void) => async (dir: string) => {
    const path = join(dir, '.create-backend.json');
    const m = JSON.parse(await readFile(path, 'utf8'));
    edit(m);
    await writeFile(path, JSON.stringify(m, null, 2));
    await git(['commit', '-qam', 'manifest changed'], dir);
  };
  const cases: [string, (dir: string) => Promise<void>, string[], RegExp][] = [
    ['a dirty tree', async (dir) => appendFile(join(dir, 'README.md'), 'uncommitted\n'), [], /uncommitted changes[\s\S]*--allow-dirty/],
    ['no manifest', async (dir) => {
      await unlink(join(dir, '.create-backend.json'));
      await git(['commit', '-qam', 'no manifest'], dir);
    }, [], /not a create-backend project[\s\S]*--dir/],
    ['a manifest from a newer version', manifestEdit((m) => (m.generator.version = '99.0.0')), [], /newer than this one/],
    ['corrupted manifest JSON', async (dir) => {
      await writeFile(join(dir, '.create-backend.json'), '{ "generator": { "name": ');
      await git(['commit', '-qam', 'broken'], dir);
    }, [], /not valid JSON[\s\S]*git checkout/],
    ['a tampered hash', manifestEdit((m) => (m.files['README.md'] = 'f'.repeat(64))), [], /hash of README\.md does not match/],
    ['a missing base: no git base and no hashes', async (dir) => {
      await rm(join(dir, '.git'), { recursive: true, force: true });
      const path = join(dir, '.create-backend.json');
      const m = JSON.parse(await readFile(path, 'utf8'));
      m.files = {};
      m.generator.version = '0.0.1';
      await writeFile(path, JSON.stringify(m));
    }, [], /no recorded base[\s\S]*Restore/],
    ['a manifest with an invalid answer', manifestEdit((m) => (m.answers.stack = 'rails')), [], /manifest .* is invalid/],
    ['an unknown flag', async () => undefined, ['--force'], /does not apply to `create-backend update`/],
    ['a misspelt flag', async () => undefined, ['--allow-dirt'], /Unknown flag --allow-dirt[\s\S]*Did you mean --allow-dirty/],
  ];
  it.each(cases.map(([label, change, args, message], i) => [label, change, args, message, i] as const))('%s', async (_label, change, args, message, i) => {
    const dir = await variant(`bad-${i}`, change);
    const before = await treeHash(dir);
    const result = await nextCli(['update', ...args], dir);
    expect(result.exitCode, String(result.stderr)).toBe(1);
    expect(String(result.stderr)).toMatch(/^Error: /);
    expect(String(result.stderr)).toMatch(message);
    expect(String(result.stderr)).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(await treeHash(dir)).toBe(before);
  });

  it('refuses --dir pointing at a directory that is not a project', async () => {
    const empty = join(root, 'plain-dir');
    await mkdir(empty, { recursive: true });
    await writeFile(join(empty, 'notes.txt'), 'mine');
    const before = await treeHash(empty);
    const result = await nextCli(['update', '--dir', empty], root);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/is not a create-backend project/);
    expect(await treeHash(empty)).toBe(before);
  });
});
