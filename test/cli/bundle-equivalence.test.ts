import { execa } from 'execa';
import { cp, readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/questions.js';
import { generateProject } from '../../src/engine/generate.js';
import { newRecipe } from '../../src/recipe/recipe.js';
import { loadTemplateBundle } from '../../src/engine/template-loader.js';
import { TEMPLATE_GROUPS } from '../../src/generated/templates/groups.js';
import { VERSION } from '../../src/generated/version.js';
import { commandsFor, STACKS } from '../../src/stacks/stacks.js';
import { onPath } from '../../src/tasks/on-path.js';
import { CLI, runCli } from '../helpers/cli.js';

const root = await mkdtemp(join(tmpdir(), 'cb-equiv-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/**
 * The published bundles split templates into JavaScript and JSON and load them with require;
 * what they write must be exactly what the engine generates from the sources.
 */
/** What the CLI wrote in `dir` equals the engine's render of the answers its manifest records. */
async function expectEngineOutput(dir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, '.create-backend.json'), 'utf8')) as { answers: Answers };
  const { tree } = await generateProject(newRecipe(manifest.answers), { bundle: await loadTemplateBundle(TEMPLATE_GROUPS), generatorVersion: VERSION });
  const written = ((await readdir(dir, { recursive: true, withFileTypes: true })) as { isFile(): boolean; parentPath: string; name: string }[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
  expect(written).toEqual(tree.paths());
  // The CLI ran with this process's PATH: a Python project records uv if it is there, else pip.
  const commands = commandsFor(manifest.answers.stack, onPath('uv'));
  tree.write('.create-backend.json', `${JSON.stringify({ ...JSON.parse(tree.read('.create-backend.json')!), commands }, null, 2)}\n`);
  for (const path of tree.paths().filter((p) => p !== '.env')) {
    expect(await readFile(join(dir, path), 'utf8'), path).toBe(tree.read(path));
  }
}

/**
 * The published bundles split templates into JavaScript and JSON, load them with require and
 * take new projects ready-made (rendered at build time with a probe name); what they write must
 * be exactly what the engine generates from the sources, for every name, database and feature set.
 */
describe('the built CLI writes what the engine generates', () => {
  it.each(Object.values(STACKS).filter((s) => !s.unavailable).map((s) => [s.id] as const))('%s', async (stack) => {
    const dir = join(root, `eq-${stack}`);
    const result = await runCli([dir, '--stack', stack, '--db', 'postgres', '--yes', '--no-install', '--no-git']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    await expectEngineOutput(dir);
  });

  it.each([
    ['node', 'a', 'sqlite', 'none'],
    ['django', 'my-long-api-2', 'sqlite', 'ci,backup'],
    ['flask', 'svc', 'postgres', 'docker'],
    ['php', 'x9-payments-service', 'sqlite', 'docker,ci'],
  ] as const)('%s named %s on %s with features %s', async (stack, name, db, features) => {
    const dir = join(root, name);
    const result = await runCli([dir, '--stack', stack, '--db', db, '--features', features, '--yes', '--no-install', '--no-git']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    await expectEngineOutput(dir);
  });

  it('node with --workload realtime (rendered at run time: the event stream is not ready-made)', async () => {
    const dir = join(root, 'realtime');
    const result = await runCli([dir, '--stack', 'node', '--workload', 'realtime', '--yes', '--no-install', '--no-git']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    await expectEngineOutput(dir);
    expect(await readFile(join(dir, 'src/routes/events.ts'), 'utf8')).toContain('text/event-stream');
  });

  it.each([
    ['django', '--admin', 'yes', 'accounts/admin.py', 'admin.site.urls'],
    ['django', '--sensitive-data', 'yes', 'README.md', '## Sensitive data'],
    ['node', '--sensitive-data', 'yes', 'README.md', '## Sensitive data'],
    ['php', '--sensitive-data', 'yes', 'README.md', '## Sensitive data'],
    ['flask', '--sensitive-data', 'yes', 'README.md', '## Sensitive data'],
  ] as const)('%s with %s %s (rendered at run time: not ready-made)', async (stack, flag, value, file, expected) => {
    const dir = join(root, `shape-${stack}-${flag.slice(2)}`);
    const result = await runCli([dir, '--stack', stack, flag, value, '--yes', '--no-install', '--no-git']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    await expectEngineOutput(dir);
    const urls = await readFile(join(dir, 'config/urls.py'), 'utf8').catch(() => '');
    expect(file === 'accounts/admin.py' ? urls : await readFile(join(dir, file), 'utf8')).toContain(expected);
  });

  // Speed depends on it: a run that renders instead of taking the ready-made files is still
  // correct, so only a marked copy of the build shows which one happened.
  it('takes a new project ready-made instead of running the templates', async () => {
    const build = join(root, 'marked-build');
    await cp(join(CLI, '..'), build, { recursive: true });
    const file = join(build, 'templates', 'node.sqlite.ready.json.br');
    const readyMade = JSON.parse(brotliDecompressSync(await readFile(file)).toString('utf8')) as { contents: string[] };
    readyMade.contents = readyMade.contents.map((c) => `${c}ready-made marker\n`);
    await writeFile(file, brotliCompressSync(JSON.stringify(readyMade)));
    const dir = join(root, 'marked');
    const result = await execa('node', [join(build, 'cli.cjs'), dir, '--stack', 'node', '--db', 'sqlite', '--yes', '--no-install', '--no-git'], { reject: false, stdin: 'ignore', env: { CI: '' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(join(dir, 'package.json'), 'utf8')).toContain('ready-made marker');
  });
});
