import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyBase, hashBase, treeBase } from '../../src/engine/base.js';
import { sha256 } from '../../src/engine/manifest.js';
import { planMerge, type PlannedFile } from '../../src/engine/plan.js';
import { Tree } from '../../src/engine/tree.js';

const labels = { ours: 'yours', theirs: 'create-backend 2.0.0' };
const treeOf = (files: Record<string, string>): Tree => {
  const tree = new Tree();
  for (const [path, text] of Object.entries(files)) tree.write(path, text);
  return tree;
};
const disk = (files: Record<string, string | undefined>) => (path: string): Buffer | undefined => (files[path] === undefined ? undefined : Buffer.from(files[path]!));
const byPath = (plan: readonly PlannedFile[]) => Object.fromEntries(plan.map((f) => [f.path, f]));

describe('the three-way planner', () => {
  const base = treeOf({ 'same.txt': 'same\n', 'untouched.txt': 'v1\n', 'edited.txt': 'a\nb\nc\n', 'both.txt': 'x\n', 'deleted.txt': 'd\n', 'dropped.txt': 'old\n', 'dropped-edited.txt': 'old\n' });
  const theirs = treeOf({ 'same.txt': 'same\n', 'untouched.txt': 'v2\n', 'edited.txt': 'a\nb\nc\n', 'both.txt': 'template\n', 'deleted.txt': 'd2\n', 'new.txt': 'new\n', 'merges.txt': 'm\n' });
  const ours = disk({ 'same.txt': 'same\n', 'untouched.txt': 'v1\n', 'edited.txt': 'a\nB\nc\n', 'both.txt': 'mine\n', 'dropped.txt': 'old\n', 'dropped-edited.txt': 'mine\n', 'new.txt': 'new\n' });

  it('gives every case of DESIGN §5 its status', async () => {
    const plan = byPath(await planMerge({ theirs, base: treeBase(base), readOurs: ours, labels, createEnv: false }));
    expect(plan['same.txt']!.status).toBe('identical');
    expect(plan['untouched.txt']!.status).toBe('update'); // ours = base → theirs
    expect(plan['untouched.txt']!.file!.content.toString()).toBe('v2\n');
    expect(plan['edited.txt']!.status).toBe('kept'); // theirs = base → ours
    expect(plan['both.txt']!.status).toBe('conflict');
    expect(plan['both.txt']!.file!.content.toString()).toContain('mine');
    expect(plan['both.txt']!.file!.content.toString()).toContain('template');
    expect(plan['deleted.txt']!.status).toBe('skip'); // the user deleted it: stays deleted
    expect(plan['dropped.txt']!.status).toBe('delete'); // the template dropped an untouched file
    expect(plan['dropped-edited.txt']!.status).toBe('kept'); // dropped, but edited: stays
    expect(plan['new.txt']!.status).toBe('identical');
    expect(plan['merges.txt']!.status).toBe('create');
  });

  it('merges a file both sides changed in different places', async () => {
    const plan = await planMerge({
      theirs: treeOf({ 'app.ts': 'import a;\nimport b;\n\nexport function build() {\n  use(a);\n  use(b);\n  return app;\n}\n' }),
      base: treeBase(treeOf({ 'app.ts': 'import a;\n\nexport function build() {\n  use(a);\n  return app;\n}\n' })),
      readOurs: disk({ 'app.ts': 'import a;\n\nexport function build() {\n  use(a);\n  return app;\n}\n\n// my own helper\nexport const helper = 1;\n' }),
      labels,
      createEnv: false,
    });
    expect(plan[0]!.status).toBe('merged');
    expect(plan[0]!.file!.content.toString()).toBe('import a;\nimport b;\n\nexport function build() {\n  use(a);\n  use(b);\n  return app;\n}\n\n// my own helper\nexport const helper = 1;\n');
  });

  it('never rewrites .env: keys it lacks are appended with their comment, the rest is untouched', async () => {
    const theirs = treeOf({ '.env': 'JWT_SECRET=fresh\n# Redis\nREDIS_URL=redis://x\n' });
    const plan = await planMerge({ theirs, base: emptyBase, readOurs: disk({ '.env': 'JWT_SECRET=mine\n' }), labels, createEnv: true });
    expect(plan[0]!.status).toBe('merged');
    expect(plan[0]!.file!.content.toString()).toBe('JWT_SECRET=mine\n\n# Redis\nREDIS_URL=redis://x\n');
    const again = await planMerge({ theirs, base: emptyBase, readOurs: disk({ '.env': 'JWT_SECRET=mine\nREDIS_URL=mine\n' }), labels, createEnv: true });
    expect(again[0]!.status).toBe('kept');
    const missing = await planMerge({ theirs, base: emptyBase, readOurs: disk({}), labels, createEnv: false });
    expect(missing[0]!.status).toBe('skip');
  });

  it('with only hashes, updates untouched files and turns every edit in a changed file into a conflict', async () => {
    const hashes = { 'a.txt': sha256(Buffer.from('one\n')), 'b.txt': sha256(Buffer.from('one\ntwo\n')) };
    const plan = byPath(
      await planMerge({
        theirs: treeOf({ 'a.txt': 'ONE\n', 'b.txt': 'one\nTWO\n' }),
        base: hashBase(hashes, disk({ 'a.txt': 'one\n', 'b.txt': 'one\ntwo\nmine\n' })),
        readOurs: disk({ 'a.txt': 'one\n', 'b.txt': 'one\ntwo\nmine\n' }),
        labels,
        createEnv: false,
      }),
    );
    expect(plan['a.txt']!.status).toBe('update');
    expect(plan['b.txt']!.status).toBe('conflict');
    expect(plan['b.txt']!.file!.content.toString()).toContain('mine');
  });

  it('on a non-empty directory without a base, never replaces a file that differs', async () => {
    const plan = await planMerge({ theirs: treeOf({ 'README.md': '# api\n' }), base: emptyBase, readOurs: disk({ 'README.md': '# my notes\n' }), labels, createEnv: true });
    expect(plan[0]!.status).toBe('conflict');
    expect(plan[0]!.file!.content.toString()).toContain('# my notes');
  });
});

describe('the planner, properties', () => {
  const fileText = (lines: string[]): string => (lines.length ? `${lines.join('\n')}\n` : '');
  const editor = (tag: string) =>
    fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'delete', 'change') }), { maxLength: 3 }).map((edits) => (lines: string[]) => {
      const out = [...lines];
      edits.forEach((e, i) => {
        const at = out.length ? e.at % out.length : 0;
        if (e.kind === 'insert') out.splice(at, 0, `${tag}${i}`);
        else if (out.length && e.kind === 'delete') out.splice(at, 1);
        else if (out.length) out[at] = `${tag}${i}`;
      });
      return out;
    });
  const project = fc.record({
    files: fc.integer({ min: 1, max: 4 }),
    userEdits: fc.array(editor('user'), { minLength: 4, maxLength: 4 }),
    templateEdits: fc.array(editor('tmpl'), { minLength: 4, maxLength: 4 }),
    userDeletes: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  });

  it('keeps every user line the template did not touch, leaves deleted files deleted, and a second run changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(project, async ({ files, userEdits, templateEdits, userDeletes }) => {
        const base = new Tree();
        const theirs = new Tree();
        const ours: Record<string, string | undefined> = {};
        for (let f = 0; f < files; f++) {
          const lines = Array.from({ length: 6 }, (_, i) => `f${f}line${i}`);
          base.write(`f${f}.txt`, fileText(lines));
          theirs.write(`f${f}.txt`, fileText(templateEdits[f]!(lines)));
          ours[`f${f}.txt`] = userDeletes[f] ? undefined : fileText(userEdits[f]!(lines));
        }
        const plan = await planMerge({ theirs, base: treeBase(base), readOurs: disk(ours), labels, createEnv: false });
        const after: Record<string, string | undefined> = { ...ours };
        for (const f of plan) if (f.file) after[f.path] = f.file.content.toString();
        for (let f = 0; f < files; f++) {
          const path = `f${f}.txt`;
          if (ours[path] === undefined) {
            expect(after[path], `${path} was deleted by the user`).toBeUndefined();
            continue;
          }
          for (const line of ours[path]!.split('\n').filter((l) => l.startsWith('user'))) expect(after[path]).toContain(line);
        }
        // Second run: the base is now the template's render; nothing may change.
        const again = await planMerge({ theirs, base: treeBase(theirs), readOurs: disk(after), labels, createEnv: false });
        expect(again.filter((f) => f.file).map((f) => f.path)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
