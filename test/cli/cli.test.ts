import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, listTree, runCli } from '../helpers/cli.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cb-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A user error: exit 1, one clear message, no stack trace, nothing on stdout. */
function expectUserError(result: { exitCode?: number; stderr: unknown; stdout: unknown }, message: RegExp): void {
  expect(result.exitCode).toBe(1);
  expect(String(result.stderr)).toMatch(/^Error: /);
  expect(String(result.stderr)).toMatch(message);
  expect(String(result.stderr)).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(String(result.stdout)).toBe('');
}

describe('help and version', () => {
  it('prints help with examples for every command', async () => {
    for (const args of [['--help'], ['recommend', '--help'], ['schema', '--help']]) {
      const result = await runCli(args);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^Usage: create-backend/);
      expect(result.stdout).toMatch(/Examples:\n\s+npx create-backend/);
    }
    expect((await runCli(['--help'])).stdout).toContain('--sensitive-data yes|no');
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(String((await runCli(['--version'])).stdout).trim()).toBe(pkg.version);
  });
});

describe('the published name in every example', () => {
  it('README and --help run the package by its published name, and npm create passes flags after --', async () => {
    const pkg = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toEqual(['create-backend']);
    const readme = await readFile(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const help = (await Promise.all(['', 'add', 'generate', 'update', 'recommend', 'schema'].map((c) => runCli([...(c ? [c] : []), '--help'])))).map((r) => String(r.stdout));
    const examples = [readme, ...help].flatMap((text) => text.split('\n')).filter((line) => /\b(npx \S*backend|npm (create|init|exec))\b/.test(line));
    expect(examples.length).toBeGreaterThan(10);
    const createName = pkg.name.replace(/^create-/, '');
    for (const line of examples) {
      const npx = /npx (\S+)/.exec(line)?.[1];
      if (npx) expect(npx.replace(/@.*$/, ''), line).toBe(pkg.name);
      const create = /npm (?:create|init) (\S+)(.*)$/.exec(line);
      if (create) {
        expect(create[1]!.replace(/@.*$/, ''), line).toBe(createName);
        // Without `--`, npm would take the flags for itself.
        if (/ --?[a-z]/.test(create[2]!.split(' -- ')[0]!)) expect(create[2], line).toContain(' -- ');
      }
    }
  });
});

describe('recommend and schema', () => {
  it('ranks all four stacks as JSON', async () => {
    const result = await runCli(['recommend', '--workload', 'realtime', '--team', 'javascript', '--json']);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(String(result.stdout));
    expect(out.ranking.map((r: { stack: string }) => r.stack).sort()).toEqual(['django', 'flask', 'node', 'php']);
    expect(out.winner.stack).toBe('node');
    expect(out.winner.reasons.length).toBeGreaterThan(0);
  });

  it('prints the reasons and considerations for people', async () => {
    const result = await runCli(['recommend', '--workload', 'data', '--admin', 'yes']);
    expect(result.stdout).toMatch(/1\. django/);
    expect(result.stdout).toMatch(/Why django:\n\s+\+ /);
    expect(result.stdout).toMatch(/Considerations:\n\s+- /);
  });

  it('prints a JSON Schema that rejects unknown keys', async () => {
    const schema = JSON.parse(String((await runCli(['schema'])).stdout));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.stack.enum).toEqual(['node', 'django', 'flask', 'php']);
  });
});

describe('dry run', () => {
  it('lists every file with its status and writes nothing', async () => {
    const dir = join(root, 'dry');
    const result = await runCli([dir, '--stack', 'node', '--yes', '--dry-run']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Dry run: \d+ files would be written/);
    expect(result.stdout).toMatch(/create\s+package\.json/);
    expect(result.stdout).toMatch(/create\s+\.create-backend\.json/);
    expect(await listTree(dir)).toEqual([]);
    expect((await listTree(root)).filter((p) => p.includes('dry'))).toEqual([]);
  });

  it('gives a machine-readable result with --json', async () => {
    const dir = join(root, 'dry-json');
    const result = await runCli([dir, '--stack', 'node', '--yes', '--dry-run', '--json']);
    const out = JSON.parse(String(result.stdout));
    expect(out).toMatchObject({ stack: 'node', directory: dir, dryRun: true });
    expect(out.files.length).toBeGreaterThan(3);
    expect(out.nextSteps[0]).toBe(`cd ${dir}`); // outside the working directory: absolute
    expect(await listTree(dir)).toEqual([]);
  });
});

describe('package manager', () => {
  it('follows the one running create-backend, unless --package-manager says otherwise; other stacks record none', async () => {
    const viaPnpm = JSON.parse(String((await runCli([join(root, 'pm-pnpm'), '--stack', 'node', '--yes', '--dry-run', '--json'], { env: { npm_config_user_agent: 'pnpm/10.4.1 npm/? node/v22.14.0 linux x64' } })).stdout));
    expect(viaPnpm.answers['package-manager']).toBe('pnpm');
    expect(viaPnpm.nextSteps).toContain('pnpm test');
    expect(viaPnpm.files.map((f: { path: string }) => f.path)).toContain('pnpm-workspace.yaml');
    const flag = JSON.parse(String((await runCli([join(root, 'pm-flag'), '--stack', 'node', '--package-manager', 'bun', '--yes', '--dry-run', '--json'], { env: { npm_config_user_agent: 'pnpm/10.4.1 npm/? node/v22.14.0 linux x64' } })).stdout));
    expect(flag.answers['package-manager']).toBe('bun');
    expect(flag.nextSteps).toContain('bun run test');
    const django = JSON.parse(String((await runCli([join(root, 'pm-django'), '--stack', 'django', '--yes', '--dry-run', '--json'], { env: { npm_config_user_agent: 'pnpm/10.4.1 npm/? node/v22.14.0 linux x64' } })).stdout));
    expect(django.answers['package-manager']).toBeUndefined();
  });
});

describe('bad input exits 1 with a clear message and writes nothing', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown flag', ['--stak', 'node'], /Unknown flag --stak\.\nDid you mean --stack\?/],
    ['unknown stack', ['--stack', 'rails', '--yes'], /--stack .*unknown value "rails"[\s\S]*node, django, flask, php/],
    ['unknown value', ['--workload', 'batch', '--yes'], /--workload .*unknown value "batch"/],
    ['invalid name', ['--name', 'My_API', '--stack', 'node'], /not a valid project name/],
    ['missing stack without a terminal', [], /No stack was chosen[\s\S]*--stack/],
    ['flag without value', ['--stack'], /--stack needs a value/],
    ['unknown package manager', ['--stack', 'node', '--package-manager', 'deno', '--yes'], /--package-manager .*unknown value "deno"[\s\S]*npm, pnpm, yarn, bun/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const dir = join(root, `bad-${_name.replaceAll(' ', '-')}`);
    const result = await runCli([dir, ...args]);
    expectUserError(result, message);
    expect(await listTree(dir)).toEqual([]);
  });

  it('refuses an invalid directory name unless --name is given', async () => {
    const result = await runCli([join(root, 'Bad Name'), '--stack', 'node', '--yes', '--no-install', '--no-git']);
    expectUserError(result, /directory name "Bad Name" is not a valid project name[\s\S]*--name/);
  });

  it('never prompts with CI=true even when asked nothing', async () => {
    const result = await runCli([join(root, 'ci')], { env: { CI: 'true' } });
    expectUserError(result, /--stack/);
  });

  it('refuses a non-empty directory and leaves it as it was', async () => {
    const dir = join(root, 'occupied');
    await mkdir(dir);
    await writeFile(join(dir, 'keep.txt'), 'mine');
    const result = await runCli([dir, '--stack', 'node', '--yes', '--no-install', '--no-git']);
    expectUserError(result, /not empty[\s\S]*--force/);
    expect(await listTree(dir)).toEqual(['keep.txt']);
    expect(await readFile(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it.each([
    ['malformed JSON', '{"stack": "node",', /not valid JSON/],
    ['not an object', '["node"]', /must hold a JSON object/],
    ['unknown key', '{"stack": "node", "colour": "blue"}', /key "colour" in .* is not a known question/],
    ['bad value', '{"db": "mysql"}', /key "db" in .* unknown value "mysql"/],
  ])('rejects an answers file with %s', async (_name, content, message) => {
    const file = join(root, `answers-${_name.replaceAll(' ', '-')}.json`);
    await writeFile(file, content);
    const dir = join(root, `from-${_name.replaceAll(' ', '-')}`);
    expectUserError(await runCli([dir, '--answers', file, '--yes']), message);
    expect(await listTree(dir)).toEqual([]);
  });

  it('rejects a missing answers file', async () => {
    expectUserError(await runCli([join(root, 'x'), '--answers', join(root, 'nope.json'), '--yes']), /Cannot read the answers file .*nope\.json: ENOENT/);
  });

  it('shows internals only with --verbose', async () => {
    const result = await runCli([join(root, 'v'), '--stack', 'rails', '--verbose']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/InvalidAnswerError[\s\S]*\n\s+at /);
  });
});

describe('answers file and --force', () => {
  it('takes answers from a file, with flags winning over it', async () => {
    const file = join(root, 'answers.json');
    await writeFile(file, JSON.stringify({ $schema: './schema.json', stack: 'django', db: 'postgres', team: 'python' }));
    const dir = join(root, 'from-file');
    const result = await runCli([dir, '--answers', file, '--stack', 'node', '--dry-run', '--json']);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(String(result.stdout));
    expect(out.answers).toMatchObject({ stack: 'node', db: 'postgres', team: 'python', name: 'from-file' });
  });

  it('with --force adds the project next to foreign files, never replaces one, deletes nothing', async () => {
    const dir = join(root, 'forced');
    await mkdir(dir);
    await writeFile(join(dir, 'keep.txt'), 'mine');
    await writeFile(join(dir, 'package.json'), '{"name":"mine"}\n');
    const result = await runCli([dir, '--stack', 'node', '--yes', '--no-install', '--no-git', '--force']);
    // Both versions of package.json are kept between conflict markers: exit 2, like git merge.
    expect(result.exitCode, String(result.stderr)).toBe(2);
    expect(result.stderr).toMatch(/conflict\s+package\.json/);
    expect(await readFile(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
    const merged = await readFile(join(dir, 'package.json'), 'utf8');
    expect(merged).toContain('{"name":"mine"}');
    expect(merged).toContain('"name": "forced"');
    expect(merged).toMatch(/^<<<<<<< yours$/m);
    expect(await readFile(join(dir, 'src/app.ts'), 'utf8')).toContain('Fastify');
  });
});

/** Runs the CLI on a pseudo-terminal (util-linux `script`), typing `keys` one chunk at a time. */
async function onTerminal(args: string[], keys: string[], cwd?: string): Promise<{ exitCode?: number; stdout: string }> {
  const command = ['node', CLI, ...args].map((a) => `'${a}'`).join(' ');
  const child = execa('script', ['-qfec', command, '/dev/null'], { reject: false, stdin: 'pipe', env: { CI: '' }, cwd });
  for (const key of keys) {
    await new Promise((r) => setTimeout(r, 400));
    child.stdin!.write(key);
  }
  const result = await child;
  return { exitCode: result.exitCode, stdout: String(result.stdout) };
}

describe('on a terminal', () => {
  it('asks the questions, shows the recommendation and generates the chosen stack', async () => {
    const dir = join(root, 'interactive');
    // Five profile questions left, the stack (recommendation preselected), the features and the database: Enter each.
    const result = await onTerminal([dir, '--team', 'javascript', '--workload', 'realtime', '--no-install', '--no-git'], Array(8).fill('\r'));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Why node:/);
    const manifest = JSON.parse(await readFile(join(dir, '.create-backend.json'), 'utf8'));
    expect(manifest.answers).toMatchObject({ stack: 'node', team: 'javascript', workload: 'realtime', db: 'sqlite', name: 'interactive' });
  });

  it('asks for the project name when no directory is given', async () => {
    const result = await onTerminal(['--team', 'python', '--workload', 'data', '--no-install', '--no-git'], ['named-api\r', ...Array(8).fill('\r')], root);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/Project name/);
    const manifest = JSON.parse(await readFile(join(root, 'named-api', '.create-backend.json'), 'utf8'));
    expect(manifest.answers).toMatchObject({ name: 'named-api', team: 'python', workload: 'data', stack: 'django' });
  });

  it('Ctrl-C at a question exits 130 and writes nothing', async () => {
    const dir = join(root, 'interrupted');
    const result = await onTerminal([dir], ['\x03']);
    expect(result.exitCode).toBe(130);
    expect(result.stdout).toMatch(/Cancelled/);
    expect(await listTree(dir)).toEqual([]);
  });
});
