import { describe, expect, it } from 'vitest';
import { outputPath, renderLayers, type TemplateContext } from '../../src/engine/render.js';
import { normalizePath, Tree } from '../../src/engine/tree.js';
import { TemplateError } from '../../src/errors.js';
import { bundleOf } from '../helpers/bundle.js';

const context: TemplateContext = { name: 'my-api', snakeName: 'my_api', db: 'sqlite', isPostgres: false, generatorVersion: '1.0.0', versions: { fastify: '5.0.0' } };

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
  it('maps dotfiles and .hbs names but keeps dunder files', () => {
    expect(outputPath('_gitignore')).toBe('.gitignore');
    expect(outputPath('_github/workflows/ci.yml')).toBe('.github/workflows/ci.yml');
    expect(outputPath('_env.example.hbs')).toBe('.env.example');
    expect(outputPath('app/__init__.py')).toBe('app/__init__.py');
    expect(outputPath('README.md.hbs')).toBe('README.md');
  });

  it('renders .hbs in strict mode without HTML escaping and copies other files verbatim', () => {
    const bundle = bundleOf({ 'shared/base': { 'README.md.hbs': '# {{name}} <{{versions.fastify}}> & co', 'raw.txt': '{{name}} stays' } });
    const tree = renderLayers(bundle, ['shared/base'], context);
    expect(tree.read('README.md')).toBe('# my-api <5.0.0> & co');
    expect(tree.read('raw.txt')).toBe('{{name}} stays');
  });

  it('fails on a missing variable, naming the template', () => {
    const bundle = bundleOf({ 'node/base': { 'x.txt.hbs': 'hello {{nmae}}' } });
    expect(() => renderLayers(bundle, ['node/base'], context)).toThrow(/node\/base\/x\.txt\.hbs failed to render/);
  });

  it('fails on a missing variable used in a condition', () => {
    const bundle = bundleOf({ 'node/base': { 'x.txt.hbs': '{{#if isPostgress}}pg{{/if}}' } });
    expect(() => renderLayers(bundle, ['node/base'], context)).toThrow(TemplateError);
  });

  it('merges manifests emitted by several layers, in layer order', () => {
    const bundle = bundleOf({
      'shared/base': { 'package.json.hbs': '{"name":"{{name}}","scripts":{"test":"vitest"}}' },
      'node/backup': { 'package.json': '{"scripts":{"backup":"ops/backup/backup.sh"}}' },
    });
    const tree = renderLayers(bundle, ['shared/base', 'node/backup'], context);
    expect(JSON.parse(tree.read('package.json')!)).toEqual({ name: 'my-api', scripts: { test: 'vitest', backup: 'ops/backup/backup.sh' } });
  });

  it('refuses two layers writing the same non-manifest file', () => {
    const bundle = bundleOf({ 'shared/base': { 'src/app.ts': 'a' }, 'node/base': { 'src/app.ts': 'b' } });
    expect(() => renderLayers(bundle, ['shared/base', 'node/base'], context)).toThrow(/already emitted/);
  });

  it('keeps the executable bit of scripts', () => {
    const tree = renderLayers(bundleOf({ 'shared/backup': { 'ops/backup/backup.sh': '#!/bin/bash' } }), ['shared/backup'], context);
    expect(tree.get('ops/backup/backup.sh')!.mode).toBe(0o755);
  });
});
