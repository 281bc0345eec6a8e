import { describe, expect, it } from 'vitest';
import { outputPath, renderLayers, type TemplateContext } from '../../src/engine/render.js';
import { normalizePath, Tree } from '../../src/engine/tree.js';
import { TemplateError } from '../../src/errors.js';
import { packageManagerContext } from '../../src/stacks/package-manager.js';
import { bundleOf } from '../helpers/bundle.js';

const context: TemplateContext = { name: 'my-api', snakeName: 'my_api', db: 'sqlite', isPostgres: false, generatorVersion: '1.0.0', versions: { fastify: '5.0.0' }, features: { docker: false, ci: false, backup: false, kubernetes: false }, resources: [], cli: 'npx create-backend-stack', realtime: false, admin: false, sensitiveData: false, pm: packageManagerContext('npm', { pnpm: '10.0.0', yarn: '4.0.0' }) };

describe('tree', () => {
  it('normalises paths and refuses to leave the project', () => {
    expect(normalizePath('./a//b/c.txt')).toBe('a/b/c.txt');
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', '']) expect(() => normalizePath(bad)).toThrow(TemplateError);
  });

  it('keeps content and mode and lists paths sorted', () => {
    const tree = new Tree();
    tree.write('z.sh', 'echo', 0o755);
    tree.write('a/b.txt', 'b');
    expect(tree.paths()).toEqual(['a/b.txt', 'z.sh']);
    expect(tree.get('z.sh')).toEqual({ content: Buffer.from('echo'), mode: 0o755 });
    tree.delete('z.sh');
    expect(tree.has('z.sh')).toBe(false);
  });
});

describe('rendering', () => {
  it('maps dotfiles and .hbs names but keeps dunder files', async () => {
    expect(outputPath('_gitignore')).toBe('.gitignore');
    expect(outputPath('_github/workflows/ci.yml')).toBe('.github/workflows/ci.yml');
    expect(outputPath('_env.example.hbs')).toBe('.env.example');
    expect(outputPath('app/__init__.py')).toBe('app/__init__.py');
    expect(outputPath('README.md.hbs')).toBe('README.md');
  });

  it('renders .hbs in strict mode without HTML escaping and copies other files verbatim', async () => {
    const bundle = bundleOf({ 'shared/base': { 'README.md.hbs': '# {{name}} <{{versions.fastify}}> & co', 'raw.txt': '{{name}} stays' } });
    const tree = await renderLayers(bundle, ['shared/base'], context);
    expect(tree.read('README.md')).toBe('# my-api <5.0.0> & co');
    expect(tree.read('raw.txt')).toBe('{{name}} stays');
  });

  it('fails on a missing variable, naming the template', async () => {
    const bundle = bundleOf({ 'node/base': { 'x.txt.hbs': 'hello {{nmae}}' } });
    await expect(renderLayers(bundle, ['node/base'], context)).rejects.toThrow(/node\/base\/x\.txt\.hbs failed to render/);
  });

  it('fails on a missing variable used in a condition', async () => {
    const bundle = bundleOf({ 'node/base': { 'x.txt.hbs': '{{#if isPostgress}}pg{{/if}}' } });
    await expect(renderLayers(bundle, ['node/base'], context)).rejects.toThrow(TemplateError);
  });

  it('merges manifests emitted by several layers, in layer order', async () => {
    const bundle = bundleOf({
      'shared/base': { 'package.json.hbs': '{"name":"{{name}}","scripts":{"test":"vitest"}}' },
      'node/backup': { 'package.json': '{"scripts":{"backup":"ops/backup/backup.sh"}}' },
    });
    const tree = await renderLayers(bundle, ['shared/base', 'node/backup'], context);
    expect(JSON.parse(tree.read('package.json')!)).toEqual({ name: 'my-api', scripts: { test: 'vitest', backup: 'ops/backup/backup.sh' } });
  });

  it('refuses two layers writing the same non-manifest file', async () => {
    const bundle = bundleOf({ 'shared/base': { 'src/app.ts': 'a' }, 'node/base': { 'src/app.ts': 'b' } });
    await expect(renderLayers(bundle, ['shared/base', 'node/base'], context)).rejects.toThrow(/not a mergeable manifest/);
  });

  it('keeps the executable bit of scripts', async () => {
    const tree = await renderLayers(bundleOf({ 'shared/backup': { 'ops/backup/backup.sh': '#!/bin/bash' } }), ['shared/backup'], context);
    expect(tree.get('ops/backup/backup.sh')!.mode).toBe(0o755);
  });
});

describe('build-time merged manifests', () => {
  it('renders a premerged manifest instead of merging the layers again', async () => {
    const bundle = bundleOf({ 'shared/base': { 'compose.yaml': 'services: {}\n' }, 'node/docker': { 'compose.yaml.hbs': 'name: {{name}}\n' } });
    const premerged = { 'compose.yaml|shared/base+node/docker': () => () => 'premerged for x\n' } as never;
    const tree = await renderLayers({ ...bundle, premerged }, ['shared/base', 'node/docker'], context);
    expect(tree.read('compose.yaml')).toBe('premerged for x\n');
    const merged = await renderLayers(bundle, ['shared/base', 'node/docker'], context);
    expect(merged.read('compose.yaml')).toBe('services: {}\nname: my-api\n');
  });
});
