import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/questions.js';
import { generateProject } from '../../src/engine/generate.js';
import { newRecipe } from '../../src/recipe/recipe.js';
import { loadTemplateBundle } from '../../src/engine/template-loader.js';
import { TEMPLATE_GROUPS } from '../../src/generated/templates/groups.js';
import { STACKS } from '../../src/stacks/stacks.js';

const bundle = await loadTemplateBundle(TEMPLATE_GROUPS);
const profile = { workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container' } as const;

/**
 * What each stack generates: every path with its mode, and the manifest without hashes. A change
 * here is a change users see; review the snapshot diff, then update it with `vitest -u`.
 */
describe('generation snapshots', () => {
  it.each(Object.values(STACKS).filter((s) => !s.unavailable).map((s) => [s.id]))('%s', async (stack) => {
    const answers: Answers = { ...profile, stack, db: 'sqlite', name: 'snap-api', features: ['docker', 'ci', 'backup'] };
    const { tree } = await generateProject(newRecipe(answers), { bundle, generatorVersion: '0.0.0-snapshot', randomSecret: () => 'secret' });
    const files = tree.paths().map((path) => `${tree.get(path)!.mode.toString(8)} ${path}`);
    const manifest = JSON.parse(tree.read('.create-backend.json')!) as Record<string, unknown>;
    delete manifest.files;
    expect({ files, manifest }).toMatchSnapshot();
  });
});
