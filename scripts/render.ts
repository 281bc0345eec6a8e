/**
 * Template development: renders a recipe from `templates/` straight into a directory (no install,
 * no git), e.g. `npx tsx scripts/render.ts /tmp/p --stack flask --db sqlite --features docker,ci
 * --resource "Task title:string(40),done:boolean,due:date?"`. Run `npm run build` first when a
 * template file was added or removed (the embedded template index is generated).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Answers } from '../src/answers/questions.js';
import { generateProject } from '../src/engine/generate.js';
import { loadTemplateBundle } from '../src/engine/template-loader.js';
import { newRecipe, withResource, type Recipe } from '../src/recipe/recipe.js';
import { parseFields } from '../src/resources/spec.js';
import { FEATURE_IDS, type Feature } from '../src/stacks/features.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { stack: { type: 'string', default: 'node' }, db: { type: 'string', default: 'sqlite' }, features: { type: 'string' }, resource: { type: 'string', multiple: true } },
});
const dir = resolve(positionals[0] ?? 'render-out');
const features = values.features === undefined ? [...FEATURE_IDS] : values.features === 'none' ? [] : (values.features.split(',') as Feature[]);
const answers: Answers = { features, name: 'preview', workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container', stack: values.stack as Answers['stack'], db: values.db as Answers['db'] };
let recipe: Recipe = newRecipe(answers);
for (const spec of values.resource ?? []) {
  const [name = '', fields = ''] = spec.split(' ');
  recipe = withResource(recipe, { name, fields: parseFields(fields) });
}
const bundle = await loadTemplateBundle(['shared', answers.stack]);
const { tree } = await generateProject(recipe, { bundle, generatorVersion: '0.0.0-dev' });
for (const path of tree.paths()) {
  const file = tree.get(path)!;
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), file.content, { mode: file.mode });
}
console.log(`${tree.paths().length} files in ${dir}`);
