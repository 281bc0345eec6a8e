import { execa } from 'execa';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/questions.js';
import { generateProject } from '../../src/engine/generate.js';
import { loadTemplateBundle } from '../../src/engine/template-loader.js';
import { newRecipe } from '../../src/recipe/recipe.js';
import { TEMPLATE_GROUPS } from '../../src/generated/templates/groups.js';
import type { Feature } from '../../src/stacks/features.js';
import { STACKS } from '../../src/stacks/stacks.js';
import { CHECK_JSONSCHEMA } from '../e2e/toolchain.js';

const bundle = await loadTemplateBundle(TEMPLATE_GROUPS);
const root = await mkdtemp(join(tmpdir(), 'cb-ci-config-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const profile = { workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container' } as const;
const cases = [
  ...Object.values(STACKS)
    .filter((s) => !s.unavailable)
    .flatMap((s) => ([['ci'], ['docker', 'ci']] as Feature[][]).map((features) => [s.id, features.join('+'), 'npm'] as const)),
  // A Node project made with another package manager: its own set-up steps, the backup variant too.
  ...(['pnpm', 'yarn', 'bun'] as const).flatMap((pm) => (['ci', 'ci+backup'] as const).map((features) => ['node', features, pm] as const)),
];

/** Validates files against one of check-jsonschema's built-in schemas, in one run (it starts slowly). */
async function validate(files: readonly string[], schema: string): Promise<{ exitCode?: number; output: string }> {
  const result = await execa(CHECK_JSONSCHEMA, ['--builtin-schema', schema, ...files], { reject: false, all: true });
  return { exitCode: result.exitCode, output: String(result.all) };
}

describe('CI configuration', () => {
  const written: { dependabot: string[]; workflows: string[] } = { dependabot: [], workflows: [] };

  it.each(cases)('%s with %s (%s): Dependabot watches the stack’s packages, the actions and, with docker, the images', async (stack, features, pm) => {
    const answers = { ...profile, stack, db: 'postgres', name: 'ci-check', features: features.split('+'), ...(stack === 'node' ? { 'package-manager': pm } : {}) } as Answers;
    const { tree } = await generateProject(newRecipe(answers), { bundle, generatorVersion: '0.0.0-test' });
    const dir = join(root, `${stack}-${features}-${pm}`);
    for (const path of ['.github/workflows/ci.yml', '.github/dependabot.yml']) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), tree.read(path)!);
    }
    written.dependabot.push(join(dir, '.github/dependabot.yml'));
    written.workflows.push(join(dir, '.github/workflows/ci.yml'));
    const dependabot = tree.read('.github/dependabot.yml')!;
    expect(dependabot).toContain(`package-ecosystem: ${{ node: pm === 'bun' ? 'bun' : 'npm', django: 'uv', flask: 'uv', php: 'composer' }[stack]}`);
    expect(dependabot).toContain('package-ecosystem: github-actions');
    expect(dependabot.includes('package-ecosystem: docker')).toBe(features.includes('docker'));
  });

  it('every workflow and Dependabot file validates against GitHub’s schemas (SchemaStore)', async () => {
    expect(written.dependabot).toHaveLength(cases.length);
    for (const [files, schema] of [[written.dependabot, 'vendor.dependabot'], [written.workflows, 'vendor.github-workflows']] as const) {
      const result = await validate(files, schema);
      expect(result.exitCode, result.output).toBe(0);
    }
  });

  it('the validator rejects a Dependabot file with an unknown ecosystem', async () => {
    const file = join(root, 'broken-dependabot.yml');
    await writeFile(file, 'version: 2\nupdates:\n  - package-ecosystem: npmm\n    directory: /\n    schedule:\n      interval: weekly\n');
    expect((await validate([file], 'vendor.dependabot')).exitCode).not.toBe(0);
  });
});
