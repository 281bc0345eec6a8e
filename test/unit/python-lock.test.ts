import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/questions.js';
import { generateProject } from '../../src/engine/generate.js';
import { loadTemplateBundle } from '../../src/engine/template-loader.js';
import { newRecipe } from '../../src/recipe/recipe.js';
import { FEATURE_IDS } from '../../src/stacks/features.js';

const bundle = await loadTemplateBundle(['shared', 'django', 'flask']);
const answersFor = (stack: 'django' | 'flask', name: string): Answers =>
  ({ name, stack, db: 'sqlite', features: [...FEATURE_IDS], workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container' }) as Answers;

interface LockPackage {
  name: string;
  version: string;
  metadata?: { 'requires-dist': Requirement[]; 'requires-dev': { dev: Requirement[] } };
}
interface Requirement {
  name: string;
  specifier: string;
  extras?: string[];
}

const normalized = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');
/** `name[extra]==1.2.3` as the lock's metadata spells it. */
const requirement = (text: string): Requirement => {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([^\]]+)\])?(==.+)$/.exec(text);
  if (!match) throw new Error(`not an exact pin: ${text}`);
  return { name: normalized(match[1]!), specifier: match[3]!, ...(match[2] ? { extras: match[2].split(',') } : {}) };
};
/** `name==version` lines of an exported requirements file. */
const pins = (text: string): Map<string, string> =>
  new Map([...text.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)/gm)].map((m) => [normalized(m[1]!), m[2]!]));

/**
 * The lock is a committed template, made by `npm run lock:python`: these fail when a Python
 * dependency or pin changes without it (the end-to-end `uv sync --locked` would fail too, later).
 */
describe.each(['django', 'flask'] as const)('the %s lock', (stack) => {
  it('locks exactly the dependencies pyproject.toml declares, under the project’s name', async () => {
    const { tree } = await generateProject(newRecipe(answersFor(stack, 'lock-check')), { bundle, generatorVersion: '0.0.0-test' });
    const pyproject = parse(tree.read('pyproject.toml')!) as { project: { name: string; dependencies: string[] }; 'dependency-groups': { dev: string[] } };
    const lock = parse(tree.read('uv.lock')!) as unknown as { package: LockPackage[] };
    const project = lock.package.find((p) => p.name === 'lock-check');
    expect(project, 'the project’s entry is named after it').toBeDefined();
    const sorted = (list: Requirement[]): Requirement[] => [...list].sort((a, b) => a.name.localeCompare(b.name));
    expect(sorted(project!.metadata!['requires-dist'])).toEqual(sorted(pyproject.project.dependencies.map(requirement)));
    expect(sorted(project!.metadata!['requires-dev'].dev)).toEqual(sorted(pyproject['dependency-groups'].dev.map(requirement)));
    expect(tree.read('.python-version')).toBe(`${bundle.versions[stack]!.python_min}\n`);
  });

  it('exports the same pins for pip: requirements.txt the runtime ones, requirements-dev.txt all of them', async () => {
    const { tree } = await generateProject(newRecipe(answersFor(stack, 'lock-check')), { bundle, generatorVersion: '0.0.0-test' });
    const lock = parse(tree.read('uv.lock')!) as unknown as { package: LockPackage[] };
    const locked = new Map(lock.package.filter((p) => p.name !== 'lock-check').map((p) => [normalized(p.name), p.version]));
    const runtime = pins(tree.read('requirements.txt')!);
    const dev = pins(tree.read('requirements-dev.txt')!);
    expect(Object.fromEntries(dev)).toEqual(Object.fromEntries(locked));
    for (const [name, version] of runtime) expect(version, name).toBe(locked.get(name));
    const devOnly = (parse(tree.read('pyproject.toml')!) as { 'dependency-groups': { dev: string[] } })['dependency-groups'].dev.map((d) => requirement(d).name);
    for (const name of devOnly) expect(runtime.has(name), `${name} is a dev dependency`).toBe(false);
    expect(runtime.has('redis')).toBe(true);
  });

  it('differs between two project names only by the name, so the ready-made renders keep it', async () => {
    const lockOf = async (name: string): Promise<string> => (await generateProject(newRecipe(answersFor(stack, name)), { bundle, generatorVersion: '0.0.0-test' })).tree.read('uv.lock')!;
    expect((await lockOf('a')).replace('name = "a"\n', 'name = "my-long-api-2"\n')).toBe(await lockOf('my-long-api-2'));
  });
});
