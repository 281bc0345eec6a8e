import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/questions.js';
import { generateProject } from '../../src/engine/generate.js';
import { newRecipe } from '../../src/recipe/recipe.js';
import { loadTemplateBundle } from '../../src/engine/template-loader.js';
import { TEMPLATE_GROUPS } from '../../src/generated/templates/groups.js';
import { VERSION } from '../../src/generated/version.js';
import { STACKS } from '../../src/stacks/stacks.js';
import { runCli } from '../helpers/cli.js';

const root = await mkdtemp(join(tmpdir(), 'cb-equiv-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/**
 * The published bundles split templates into JavaScript and JSON and load them with require;
 * what they write must be exactly what the engine generates from the sources.
 */
describe('the built CLI writes what the engine generates', () => {
  it.each(Object.values(STACKS).filter((s) => !s.unavailable).map((s) => [s.id] as const))('%s', async (stack) => {
    const dir = join(root, `eq-${stack}`);
    const result = await runCli([dir, '--stack', stack, '--db', 'postgres', '--yes', '--no-install', '--no-git']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, '.create-backend.json'), 'utf8')) as { answers: Answers };
    const { tree } = await generateProject(newRecipe(manifest.answers), { bundle: await loadTemplateBundle(TEMPLATE_GROUPS), generatorVersion: VERSION });
    const written = ((await readdir(dir, { recursive: true, withFileTypes: true })) as { isFile(): boolean; parentPath: string; name: string }[])
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
      .sort();
    expect(written).toEqual(tree.paths());
    for (const path of tree.paths().filter((p) => p !== '.env')) {
      expect(await readFile(join(dir, path), 'utf8'), path).toBe(tree.read(path));
    }
  });
});
