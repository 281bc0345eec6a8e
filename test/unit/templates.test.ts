import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/questions.js';
import { generateProject } from '../../src/engine/generate.js';
import { loadTemplateBundle } from '../../src/engine/template-loader.js';
import { TEMPLATE_GROUPS } from '../../src/generated/templates/groups.js';
import { STACKS } from '../../src/stacks/stacks.js';
import { PACKAGE_MANAGERS } from '../../src/stacks/package-manager.js';
import { FEATURE_IDS, layersFor } from '../../src/stacks/features.js';
import { newRecipe } from '../../src/recipe/recipe.js';
import type { GenerateOptions } from '../../src/engine/generate.js';
import type { Tree } from '../../src/engine/tree.js';
import { readFileSync } from 'node:fs';

const bundle = await loadTemplateBundle(TEMPLATE_GROUPS);
const available = Object.values(STACKS).filter((s) => !s.unavailable);
const base: Omit<Answers, 'stack' | 'db' | 'name'> = { workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container', features: [...FEATURE_IDS] };
const gen = async (a: Answers, options: GenerateOptions): Promise<Tree> => (await generateProject(newRecipe(a), options)).tree;
const FIXTURES = available.flatMap((s) => (['sqlite', 'postgres'] as const).flatMap((db) => ['a', 'my-long-api-2'].map((name) => ({ ...base, stack: s.id, db, name }))));

describe('template hygiene', () => {
  it.each(FIXTURES.map((f) => [`${f.stack}/${f.db}/${f.name}`, f] as const))('every template of %s renders in strict mode', async (_label, answers) => {
    const tree = await gen(answers, { bundle, generatorVersion: '0.0.0-test' });
    expect(tree.paths().length).toBeGreaterThan(10);
    for (const path of tree.paths()) {
      const text = tree.read(path)!;
      // Escaped braces must not survive rendering (a sign of a template rendered twice or not at all).
      expect(text, path).not.toContain('\\{{');
    }
    expect(tree.read('.create-backend.json')).toContain(`"name": "${answers.name}"`);
  });

  const SUBSETS: (readonly ('docker' | 'ci' | 'backup')[])[] = [[], ['docker'], ['ci'], ['backup'], ['docker', 'ci'], ['docker', 'backup'], ['ci', 'backup']];
  it.each(available.flatMap((s) => SUBSETS.map((features) => [s.id, features.join('+') || 'none', features] as const)))(
    '%s with features %s renders, and mentions no feature it does not have',
    async (stack, _label, features) => {
      const tree = await gen({ ...base, stack, db: 'sqlite', name: 'subset', features: [...features] }, { bundle, generatorVersion: '0' });
      const paths = tree.paths();
      expect(paths.some((p) => p === 'Dockerfile')).toBe(features.includes('docker'));
      expect(paths.some((p) => p.startsWith('.github/'))).toBe(features.includes('ci'));
      expect(paths.some((p) => p.startsWith('ops/backup/'))).toBe(features.includes('backup'));
      // Kubernetes is never in these subsets: nothing of it may appear.
      expect(paths.filter((p) => p.startsWith('deploy/'))).toEqual([]);
      const readme = tree.read('README.md')!;
      if (!features.includes('docker')) expect(readme, 'README without docker').not.toMatch(/docker compose|Dockerfile/);
      if (!features.includes('backup')) expect(readme, 'README without backup').not.toMatch(/ops\/backup/);
      expect(readme, 'README without kubernetes').not.toMatch(/kubectl|kustomiz/i);
    },
  );

  it.each(available.flatMap((s) => [[s.id, false] as const, [s.id, true] as const]))('%s with kubernetes (backup: %s) brings docker, its manifests and its README section', async (stack, backup) => {
    const features: Answers['features'] = backup ? ['kubernetes', 'backup'] : ['kubernetes'];
    const tree = await gen({ ...base, stack, db: 'postgres', name: 'kube', features }, { bundle, generatorVersion: '0' });
    const paths = tree.paths();
    expect(paths).toContain('Dockerfile');
    for (const file of ['base/kustomization.yaml', 'base/deployment.yaml', 'base/migrate-job.yaml', 'overlays/production/kustomization.yaml', 'components/redis/kustomization.yaml']) {
      expect(paths, file).toContain(`deploy/kubernetes/${file}`);
    }
    expect(paths.includes('deploy/kubernetes/base/backup-cronjob.yaml')).toBe(backup);
    expect(tree.read('deploy/kubernetes/base/kustomization.yaml')!.includes('backup-cronjob.yaml')).toBe(backup);
    const readme = tree.read('README.md')!;
    expect(readme).toContain('## Deploying to Kubernetes');
    expect(readme).toContain('kubectl create secret generic kube-secrets -n kube');
    expect(readme.includes('kube-backup-scripts')).toBe(backup);
    // The section comes after every docker and backup section, before the closing one.
    const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections.indexOf('Deploying to Kubernetes')).toBe(sections.length - 2);
    expect(JSON.parse(tree.read('.create-backend.json')!).answers.features).toEqual(backup ? ['docker', 'backup', 'kubernetes'] : ['docker', 'kubernetes']);
  });

  it.each(available.map((s) => [s.id]))('every layer of %s exists and every pinned version is used', async (stack) => {
    // A stack may have no backup layer of its own (the shared one serves every stack).
    for (const layer of ['base', 'docker', 'ci']) expect(bundle.layers[`${stack}/${layer}`], `templates/${stack}/${layer}`).toBeDefined();
    const versions = bundle.versions[stack] ?? {};
    expect(Object.keys(versions).length).toBeGreaterThan(3);
    const sources = layersFor(stack, FEATURE_IDS)
      .flatMap((l) => bundle.layers[l] ?? [])
      .map((f) => (f.template ? f.template().toString() : f.text ?? ''))
      .join('\n');
    // A Node project's package manager picks some pins (Bun's image, pnpm's and Yarn's versions).
    const managers = stack === 'node' ? PACKAGE_MANAGERS : [undefined];
    const renders = await Promise.all(managers.map((pm) => gen({ ...base, stack, db: 'sqlite', name: 'pins', features: [...FEATURE_IDS], ...(pm ? { 'package-manager': pm } : {}) }, { bundle, generatorVersion: '0' })));
    const output = renders.flatMap((rendered) => rendered.paths().map((p) => rendered.read(p))).join('\n');
    for (const [key, version] of Object.entries(versions)) {
      expect(output.includes(version) || sources.includes(`versions.${key}`), `versions.${key} (${version}) is pinned but never used`).toBe(true);
    }
  });

  it.each(FIXTURES.map((f) => [`${f.stack}/${f.db}/${f.name}`, f] as const))('manifests merged at build time equal the run-time merge for %s', async (_label, answers) => {
    const secret = (): string => 'x'.repeat(48);
    const fast = await gen(answers, { bundle, generatorVersion: '0', randomSecret: secret });
    const slow = await gen(answers, { bundle: { ...bundle, premerged: {} }, generatorVersion: '0', randomSecret: secret });
    expect(fast.paths()).toEqual(slow.paths());
    for (const path of fast.paths()) expect(fast.read(path), path).toBe(slow.read(path));
  });

  it.each(available.map((s) => [s.id]))('merges the compose file of %s at build time', (stack) => {
    expect(Object.keys(bundle.premerged ?? {}).filter((k) => k.startsWith('compose.yaml|') && k.includes(`${stack}/docker`))).toHaveLength(1);
  });

  it('gives every stack the same OpenAPI document, with notes generated from its resource spec (the fixture is the reviewed document)', async () => {
    const expected = readFileSync(new URL('../fixtures/openapi-with-notes.json', import.meta.url), 'utf8');
    // The API is the user's: their project's name and first version, and no licence claim of ours.
    const { info } = JSON.parse(expected) as { info: Record<string, unknown> };
    expect(info).toMatchObject({ title: 'x', version: '0.1.0' });
    expect(info).not.toHaveProperty('license');
    for (const s of available) {
      const tree = await gen({ ...base, stack: s.id, db: 'sqlite', name: 'x' }, { bundle, generatorVersion: '0' });
      expect(tree.read('openapi.json')).toBe(expected);
    }
  });
});
