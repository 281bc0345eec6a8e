import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/questions.js';
import { buildDotEnv } from '../../src/engine/env-file.js';
import { generateProject, type GenerateOptions } from '../../src/engine/generate.js';
import { newRecipe } from '../../src/recipe/recipe.js';
import { STACKS } from '../../src/stacks/stacks.js';
import type { Tree } from '../../src/engine/tree.js';
import { MANIFEST_FILE, sha256, type ProjectManifest } from '../../src/engine/manifest.js';
import { TemplateError } from '../../src/errors.js';
import { bundleOf } from '../helpers/bundle.js';

const answers: Answers = {
  name: 'my-api', workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container', stack: 'node', db: 'sqlite', features: [],
};
const gen = async (a: Answers, options: GenerateOptions): Promise<Tree> => (await generateProject(newRecipe(a), options)).tree;
const bundle = bundleOf({
  'shared/base': { 'openapi.json': '{}' },
  'node/base': {
    'package.json.hbs': '{"name":"{{name}}","dependencies":{"fastify":"{{versions.fastify}}"}}',
    '_env.example': '# secret\nJWT_SECRET=change-me-to-a-random-string-of-at-least-32-bytes\nDATABASE_URL=sqlite:///data/app.db\nPORT=8000\n',
  },
}, { node: { fastify: '5.0.0' } });

let counter = 0;
const secret = (): string => `s3cr3t-${++counter}`.padEnd(40, 'x');

describe('generateProject', () => {
  it('writes a manifest with the generator, answers, commands and the sha256 of every file', async () => {
    const tree = await gen(answers, { bundle, generatorVersion: '9.9.9', randomSecret: secret });
    const manifest = JSON.parse(tree.read(MANIFEST_FILE)!) as ProjectManifest;
    expect(manifest.generator).toEqual({ name: 'create-backend', version: '9.9.9' });
    expect(manifest.stack).toBe('node');
    expect(manifest.answers).toEqual(answers);
    expect(manifest.commands.test).toBe('npm test');
    expect(Object.keys(manifest.files).sort()).toEqual(['.env.example', 'openapi.json', 'package.json']);
    expect(manifest.schemaVersion).toBe(2);
    expect(manifest.resources.map((r) => r.name)).toEqual(['Note']);
    for (const [path, hash] of Object.entries(manifest.files)) expect(hash).toBe(sha256(tree.get(path)!.content));
    expect(JSON.parse(tree.read('package.json')!).dependencies.fastify).toBe('5.0.0');
  });

  it('puts fresh secrets in a private .env and never in the manifest', async () => {
    const tree = await gen(answers, { bundle, generatorVersion: '1.0.0' });
    const env = tree.read('.env')!;
    const jwt = /JWT_SECRET=(.*)/.exec(env)![1]!;
    expect(jwt.length).toBeGreaterThanOrEqual(64);
    expect(jwt).not.toMatch(/change-me/);
    expect(tree.get('.env')!.mode).toBe(0o600);
    expect(tree.read(MANIFEST_FILE)).not.toContain(jwt);
    expect(tree.read('.env.example')).toContain('change-me');
    const other = await gen(answers, { bundle, generatorVersion: '1.0.0' });
    expect(/JWT_SECRET=(.*)/.exec(other.read('.env')!)![1]).not.toBe(jwt);
  });

  it('points DATABASE_URL at PostgreSQL when asked', async () => {
    const tree = await gen({ ...answers, db: 'postgres' }, { bundle, generatorVersion: '1.0.0' });
    expect(tree.read('.env')).toContain('DATABASE_URL=postgresql://postgres@127.0.0.1:5432/my_api');
  });

  it('is a pure function of the answers apart from the secrets', async () => {
    const a = await gen(answers, { bundle, generatorVersion: '1.0.0', randomSecret: () => 'x'.repeat(40) });
    const b = await gen(answers, { bundle, generatorVersion: '1.0.0', randomSecret: () => 'x'.repeat(40) });
    expect(a.paths()).toEqual(b.paths());
    for (const p of a.paths()) expect(a.read(p)).toBe(b.read(p));
  });

  it('refuses a stack this build cannot generate', async () => {
    const php = STACKS.php as { unavailable?: string };
    const before = php.unavailable;
    php.unavailable = 'not in this build';
    try {
      await expect(gen({ ...answers, stack: 'php' }, { bundle, generatorVersion: '1.0.0' })).rejects.toThrow(TemplateError);
    } finally {
      php.unavailable = before;
    }
  });
});

describe('buildDotEnv', () => {
  it('replaces placeholders and overrides, and keeps everything else', async () => {
    const out = buildDotEnv('# c\nA=change-me\nB=keep\nC=placeholder-value\nD=x\n', { D: 'y' }, () => 'R');
    expect(out).toBe('# c\nA=R\nB=keep\nC=R\nD=y\n');
  });
});
