import { describe, expect, it } from 'vitest';
import { deepMerge, mergeEnv, mergerFor } from '../../src/engine/merge.js';

describe('manifest merges', () => {
  it('merges package.json deeply, keeping key order and overriding scalars', async () => {
    const merge = (await mergerFor('package.json'))!;
    const out = JSON.parse(merge('{"name":"a","scripts":{"test":"vitest"},"keywords":["x"]}', '{"scripts":{"backup":"b"},"keywords":["x","y"],"name":"b"}', 'package.json'));
    expect(out).toEqual({ name: 'b', scripts: { test: 'vitest', backup: 'b' }, keywords: ['x', 'y'] });
    expect(Object.keys(out.scripts)).toEqual(['test', 'backup']);
  });

  it('merges compose.yaml node by node and keeps the comments of both sides', async () => {
    const merge = (await mergerFor('compose.yaml'))!;
    const base = 'services:\n  # the API\n  app:\n    image: app\n  db:\n    image: postgres:17\nvolumes:\n  pgdata: {}\n';
    const overlay = 'services:\n  # nightly dumps\n  backup:\n    image: postgres:17\n  db:\n    healthcheck:\n      test: ["CMD", "pg_isready"]\nvolumes:\n  backups: {}\n';
    const out = merge(base, overlay, 'compose.yaml');
    expect(out).toContain('# the API');
    expect(out).toContain('# nightly dumps');
    expect(out).toMatch(/db:\n\s+image: postgres:17\n\s+healthcheck:/);
    expect(out).toMatch(/volumes:\n\s+pgdata: \{\}\n\s+backups: \{\}/);
  });

  it('merges .env.example by key, appending new keys with their comments', async () => {
    const out = mergeEnv('# app\nAPP_ENV=development\nPORT=8000\n', '# where backups go\nBACKUP_DIR=./backups\nPORT=9000\n', '.env.example');
    expect(out).toBe('# app\nAPP_ENV=development\nPORT=9000\n\n# where backups go\nBACKUP_DIR=./backups\n');
  });

  it('unions ignore files and requirements', async () => {
    const merge = (await mergerFor('requirements.txt'))!;
    expect(merge('django==5.2\nrequests==2\n', 'requests==2\npsycopg==3\n', 'requirements.txt')).toBe('django==5.2\nrequests==2\n\npsycopg==3\n');
    expect(await mergerFor('.gitignore')).toBeDefined();
    expect(await mergerFor('.dockerignore')).toBeDefined();
  });

  it('merges pyproject.toml tables', async () => {
    const out = (await mergerFor('pyproject.toml'))!('[tool.ruff]\nline-length = 100\n', '[tool.pytest.ini_options]\naddopts = "-q"\n', 'pyproject.toml');
    expect(out).toMatch(/\[tool\.ruff\]\nline-length = 100/);
    expect(out).toMatch(/\[tool\.pytest\.ini_options\]\naddopts = "-q"/);
  });

  it('refuses to merge anything that is not a known manifest', async () => {
    expect(await mergerFor('src/app.ts')).toBeUndefined();
    expect(await mergerFor('Dockerfile')).toBeUndefined();
  });

  it('reports invalid manifests as template errors', async () => {
    const merge = (await mergerFor('package.json'))!;
    expect(() => merge('{', '{}', 'package.json')).toThrow(/not valid JSON/);
  });

  it('deepMerge unions arrays without duplicates', async () => {
    expect(deepMerge([1, { a: 1 }], [{ a: 1 }, 2])).toEqual([1, { a: 1 }, 2]);
  });
});
