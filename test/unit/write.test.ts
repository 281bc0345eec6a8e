import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Tree } from '../../src/engine/tree.js';
import { emptyBase } from '../../src/engine/base.js';
import { planMerge, type PlannedFile } from '../../src/engine/plan.js';
import { readIfExists, writePlan } from '../../src/engine/write.js';

/** Plans a tree into a directory as `create` does: no base, the disk as ours. */
const planChanges = (tree: Tree, dir: string): Promise<PlannedFile[]> =>
  planMerge({ theirs: tree, base: emptyBase, readOurs: (p) => readIfExists(join(dir, p)), labels: { ours: 'yours', theirs: 'template' }, createEnv: true });

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cb-write-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function sample(): Tree {
  const tree = new Tree();
  tree.write('README.md', '# app\n');
  tree.write('ops/backup.sh', '#!/bin/sh\n', 0o755);
  tree.write('.env', 'JWT_SECRET=new\n', 0o600);
  return tree;
}

describe('planChanges and writePlan', () => {
  it('creates a new project in one move, with modes, and leaves no staging directory', async () => {
    const dir = join(root, 'app');
    const plan = await planChanges(sample(), dir);
    expect(plan.map((f) => f.status)).toEqual(['create', 'create', 'create']);
    await writePlan(plan, dir);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# app\n');
    expect((await stat(join(dir, 'ops/backup.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);
    expect(await readdir(root)).toEqual(['app']);
  });

  it('writes into an existing empty directory', async () => {
    const dir = join(root, 'app');
    await mkdir(dir);
    await writePlan(await planChanges(sample(), dir), dir);
    expect((await readdir(dir)).sort()).toEqual(['.env', 'README.md', 'ops']);
  });

  it('in a non-empty directory: keeps foreign files and an existing .env, and never replaces a differing file', async () => {
    const dir = join(root, 'app');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await writeFile(join(dir, '.env'), 'JWT_SECRET=mine\n');
    await writeFile(join(dir, 'README.md'), 'my readme\n');
    const plan = await planChanges(sample(), dir);
    expect(Object.fromEntries(plan.map((f) => [f.path, f.status]))).toEqual({ '.env': 'kept', 'README.md': 'conflict', 'ops/backup.sh': 'create' });

    await writePlan(plan, dir);
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('my readme\n');
    expect(readme).toContain('# app\n');
    expect(readme).toMatch(/^<<<<<<< yours$/m);
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe('JWT_SECRET=mine\n');
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    const again = await planChanges(sample(), dir);
    expect(again.find((f) => f.path === 'ops/backup.sh')!.status).toBe('identical');
  });

  it('leaves nothing behind when the write fails half way', async () => {
    const dir = join(root, 'app');
    const tree = new Tree();
    tree.write('a', 'file');
    tree.write('a/b', 'cannot exist under a file');
    await expect(writePlan(await planChanges(tree, dir), dir)).rejects.toThrow();
    expect(await readdir(root)).toEqual([]);
  });
});
