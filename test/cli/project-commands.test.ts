import { execa } from 'execa';
import { appendFile, mkdtemp, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git, GIT_ENV, treeHash } from '../helpers/project-tree.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cb-project-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const env = { CI: '', ...GIT_ENV };
const cli = (args: string[], cwd?: string) => runCli(args, { env, ...(cwd ? { cwd } : {}) });

async function newProject(name: string, extra: string[] = []): Promise<string> {
  const dir = join(root, name);
  const result = await cli([dir, '--stack', 'flask', '--yes', '--no-install', ...extra]);
  expect(result.exitCode, String(result.stderr)).toBe(0);
  return dir;
}

describe('add <feature>', () => {
  it('adds docker then backup to a ci-only project, keeping edits to the README, .env.example and app code', async () => {
    const dir = await newProject('features', ['--features', 'ci']);
    expect(await readFile(join(dir, '.github/workflows/ci.yml'), 'utf8')).toBeTruthy();
    await expect(readFile(join(dir, 'Dockerfile'))).rejects.toThrow();
    const edits = async (tag: string): Promise<void> => {
      await appendFile(join(dir, 'README.md'), `\nOur team notes (${tag}).\n`);
      await appendFile(join(dir, '.env.example'), `MY_SETTING_${tag}=1\n`);
      await appendFile(join(dir, 'app/__init__.py'), `\n# edited by us (${tag})\n`);
    };
    await edits('one');
    const docker = await cli(['add', 'docker'], dir);
    expect(docker.exitCode, String(docker.stderr)).toBe(0);
    expect(String(docker.stderr)).toMatch(/create\s+Dockerfile/);
    expect(await readFile(join(dir, 'compose.yaml'), 'utf8')).toContain('services:');
    await edits('two');
    const backup = await cli(['add', 'backup', '--json'], dir);
    expect(backup.exitCode, String(backup.stderr)).toBe(0);
    const report = JSON.parse(String(backup.stdout)) as { files: { path: string; status: string }[]; conflicts: string[] };
    expect(report.conflicts).toEqual([]);
    expect(report.files.find((f) => f.path === 'ops/backup/backup.sh')?.status).toBe('create');
    // With docker present, backup brings its compose service too.
    expect(await readFile(join(dir, 'compose.yaml'), 'utf8')).toMatch(/^ {2}backup:/m);
    for (const tag of ['one', 'two']) {
      expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain(`Our team notes (${tag}).`);
      expect(await readFile(join(dir, '.env.example'), 'utf8')).toContain(`MY_SETTING_${tag}=1`);
      expect(await readFile(join(dir, 'app/__init__.py'), 'utf8')).toContain(`# edited by us (${tag})`);
    }
    const manifest = JSON.parse(await readFile(join(dir, '.create-backend.json'), 'utf8'));
    expect(manifest.answers.features).toEqual(['docker', 'ci', 'backup']);

    const before = await treeHash(dir);
    const again = await cli(['add', 'docker', '--json'], dir);
    expect(again.exitCode).toBe(0);
    const statuses = new Set((JSON.parse(String(again.stdout)) as { files: { status: string }[] }).files.map((f) => f.status));
    expect([...statuses].every((s) => ['identical', 'kept'].includes(s)), [...statuses].join()).toBe(true);
    expect(await treeHash(dir)).toBe(before);
  });

  it('adds docker with kubernetes to a project without docker, and says so', async () => {
    const dir = await newProject('kube', ['--features', 'ci', '--no-git']);
    const result = await cli(['add', 'kubernetes'], dir);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    // The cluster runs the image the Dockerfile builds: the feature cannot come without it.
    expect(String(result.stderr)).toMatch(/add kubernetes \(and docker, which it requires\)/);
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toMatch(/^FROM /m);
    expect(await readFile(join(dir, 'deploy/kubernetes/base/kustomization.yaml'), 'utf8')).toContain('deployment.yaml');
    expect(await readFile(join(dir, 'deploy/kubernetes/overlays/production/kustomization.yaml'), 'utf8')).toContain('../../base');
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain('## Deploying to Kubernetes');
    const manifest = JSON.parse(await readFile(join(dir, '.create-backend.json'), 'utf8'));
    expect(manifest.answers.features).toEqual(['docker', 'ci', 'kubernetes']);
  });

  it('keeps the backup scripts without docker, and a project without features still has its README', async () => {
    const dir = await newProject('bare', ['--features', 'none', '--no-git']);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).not.toMatch(/docker compose|Dockerfile/i);
    const result = await cli(['add', 'backup', '--dir', dir]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(await readFile(join(dir, 'ops/backup/backup.sh'), 'utf8')).toContain('#!');
    await expect(readFile(join(dir, 'compose.yaml'))).rejects.toThrow();
  });
});

describe('generate resource', () => {
  it('adds a resource, records it, and changes nothing when run again', async () => {
    const dir = await newProject('resource');
    const first = await cli(['generate', 'resource', 'Task', '--fields', 'title:string(40),done:boolean,due:date?'], dir);
    expect(first.exitCode, String(first.stderr)).toBe(0);
    const document = JSON.parse(await readFile(join(dir, 'openapi.json'), 'utf8'));
    expect(Object.keys(document.paths)).toContain('/api/v1/tasks/{id}');
    expect(document.components.schemas.TaskTitle).toEqual({ type: 'string', minLength: 1, maxLength: 40, pattern: '^[^\\u0000]*$' });
    const manifest = JSON.parse(await readFile(join(dir, '.create-backend.json'), 'utf8'));
    expect(manifest.resources.map((r: { name: string }) => r.name)).toEqual(['Note', 'Task']);
    const before = await treeHash(dir);
    const again = await cli(['g', 'resource', 'Task', '--fields', 'title:string(40),done:boolean,due:date?'], dir);
    expect(again.exitCode).toBe(0);
    expect(String(again.stderr)).toContain('nothing to change');
    expect(await treeHash(dir)).toBe(before);
  });
});

describe('finding the project', () => {
  it('works from a folder inside the project, as git does', async () => {
    const dir = await newProject('nested', ['--no-git', '--features', 'none']);
    const result = await cli(['add', 'ci', '--json'], join(dir, 'app', 'resources'));
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(JSON.parse(String(result.stdout)).directory).toBe(dir);
    expect(await readFile(join(dir, '.github/workflows/ci.yml'), 'utf8')).toContain('jobs:');
  });
});

describe('undoing a change with git', () => {
  it('works again after the user threw a generated resource away with git checkout and clean', async () => {
    const dir = await newProject('undo');
    const spec = ['generate', 'resource', 'Invoice', '--fields', 'number:string(20),amount:number'];
    expect((await cli(spec, dir)).exitCode).toBe(0);
    await git(['checkout', '--', '.'], dir);
    await git(['clean', '-fdq'], dir);
    const again = await cli([...spec, '--json'], dir);
    expect(again.exitCode, String(again.stderr)).toBe(0);
    expect(JSON.parse(String(again.stdout)).files.find((f: { path: string }) => f.path === 'app/resources/invoices/models.py')?.status).toBe('create');
  });

  it('keeps both when the user registered something where the template registers a new resource', async () => {
    const dir = await newProject('union');
    const factory = join(dir, 'app/__init__.py');
    const text = await readFile(factory, 'utf8');
    await writeFile(factory, text.replace(/(\n\s+return app\n)/, '\n    # Our own: provider callbacks.\n    app.add_url_rule("/webhooks", view_func=lambda: "")$1'));
    await git(['commit', '-qam', 'webhooks'], dir);
    const result = await cli(['generate', 'resource', 'Invoice', '--fields', 'number:string(20)', '--json'], dir);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const after = await readFile(factory, 'utf8');
    expect(after).toContain('# Our own: provider callbacks.');
    expect(after).toMatch(/invoices/);
    expect(after).not.toContain('<<<<<<<');
  });
});

describe('create --force on an existing project', () => {
  it('merges into edited files instead of replacing them', async () => {
    const dir = await newProject('force', ['--no-git']);
    const readme = join(dir, 'README.md');
    const original = await readFile(readme, 'utf8');
    await writeFile(readme, original.replace(/^# .*$/m, '# Our payments API\n\nOwned by the payments team.'));
    const result = await cli(['create', dir, '--stack', 'flask', '--yes', '--no-install', '--no-git', '--force']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const after = await readFile(readme, 'utf8');
    expect(after).toContain('# Our payments API');
    expect(after).toContain('Owned by the payments team.');
  });
});

describe('bad input to add and generate: exit 1, one message, nothing written', () => {
  let dir: string;
  let newer: string;
  beforeAll(async () => {
    dir = await newProject('bad-input');
    newer = join(root, 'newer');
    await cp(dir, newer, { recursive: true });
    const manifestPath = join(newer, '.create-backend.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.generator.version = '99.0.0';
    await writeFile(manifestPath, JSON.stringify(manifest));
  });

  const cases: [string, string[], RegExp, string?][] = [
    ['an unknown feature', ['add', 'kubernets'], /Unknown feature "kubernets"/],
    ['a misspelt feature, with a suggestion', ['add', 'dokcer'], /Did you mean docker\?/],
    ['no feature', ['add'], /needs more arguments/],
    ['generate something that is not a resource', ['generate', 'model', 'Task', '--fields', 'a:string'], /only resources/],
    ['a resource name that is not PascalCase', ['generate', 'resource', 'task', '--fields', 'a:string'], /not a valid resource name/],
    ['a reserved resource name', ['generate', 'resource', 'Order', '--fields', 'a:string'], /reserved/],
    ['a resource named like the users table', ['generate', 'resource', 'User', '--fields', 'a:string'], /reserved/],
    ['a reserved field name', ['generate', 'resource', 'Task', '--fields', 'class:string'], /field name "class" is reserved/],
    ['a field named like a built-in column', ['generate', 'resource', 'Task', '--fields', 'created_at:datetime'], /"created_at" is reserved/],
    ['a field type typo', ['generate', 'resource', 'Task', '--fields', 'title:strng'], /unknown type "strng"[\s\S]*Did you mean string\?/],
    ['a malformed field list', ['generate', 'resource', 'Task', '--fields', 'title string'], /malformed/],
    ['an empty field list', ['generate', 'resource', 'Task', '--fields', ''], /empty/],
    ['a duplicated field', ['generate', 'resource', 'Task', '--fields', 'a:string,a:integer'], /listed twice/],
    ['a length on a type without one', ['generate', 'resource', 'Task', '--fields', 'n:integer(4)'], /only string and text take a length/],
    ['no --fields', ['generate', 'resource', 'Task'], /needs its fields/],
    ['an existing resource with other fields', ['generate', 'resource', 'Note', '--fields', 'title:string'], /already has the resource Note/],
    ['a flag of another command', ['add', 'docker', '--fields', 'a:string'], /does not apply/],
  ];
  it.each(cases)('%s', async (_label, args, message) => {
    const before = await treeHash(dir);
    const result = await cli(args, dir);
    expect(result.exitCode, String(result.stderr)).toBe(1);
    expect(String(result.stderr)).toMatch(/^Error: /);
    expect(String(result.stderr)).toMatch(message);
    expect(String(result.stderr)).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(await treeHash(dir)).toBe(before);
  });

  it('refuses a directory without a manifest', async () => {
    const empty = join(root, 'not-a-project');
    await execa('mkdir', ['-p', empty]);
    const result = await cli(['add', 'docker', '--dir', empty]);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/is not a create-backend project[\s\S]*--dir/);
    expect(await treeHash(empty)).toBe(await treeHash(empty));
  });

  it('refuses a manifest from a newer create-backend', async () => {
    const before = await treeHash(newer);
    for (const args of [['add', 'docker'], ['generate', 'resource', 'Task', '--fields', 'a:string']]) {
      const result = await cli(args, newer);
      expect(result.exitCode).toBe(1);
      expect(String(result.stderr)).toMatch(/made by create-backend 99\.0\.0, newer than this one/);
    }
    expect(await treeHash(newer)).toBe(before);
  });

  it('refuses a corrupt manifest, naming the file', async () => {
    const broken = join(root, 'broken');
    await cp(dir, broken, { recursive: true });
    await writeFile(join(broken, '.create-backend.json'), '{"generator": ');
    const before = await treeHash(broken);
    const result = await cli(['add', 'docker'], broken);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/\.create-backend\.json is not valid JSON/);
    expect(await treeHash(broken)).toBe(before);
    await git(['status'], dir);
  });
});
