import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeFile } from '../../src/engine/merge3.js';
import { mergeLines3, mergeWithoutBase } from '../../src/engine/merge3-text.js';

const labels = { ours: 'yours', theirs: 'create-backend 9.9.9' };
const merge = (path: string, base: string | undefined, ours: string, theirs: string) => mergeFile(path, base, ours, theirs, labels);

describe('three-way merge of one file', () => {
  it('takes changes made on one side only, from either side', () => {
    const base = 'a\nb\nc\nd\ne\n';
    const out = mergeLines3(base, 'a\nB (mine)\nc\nd\ne\n', 'a\nb\nc\nd\nE (template)\n', labels);
    expect(out).toEqual({ text: 'a\nB (mine)\nc\nd\nE (template)\n', conflicts: [] });
  });

  it('writes both versions and the base between git-style markers when the same lines changed, and says where', () => {
    const out = mergeLines3('x\nline\ny\n', 'x\nmine\ny\n', 'x\ntheirs\ny\n', labels);
    expect(out.text).toBe('x\n<<<<<<< yours\nmine\n||||||| base\nline\n=======\ntheirs\n>>>>>>> create-backend 9.9.9\ny\n');
    expect(out.conflicts).toEqual([{ start: 2, end: 8 }]);
  });

  it('keeps both when both sides only inserted lines at the same place, the template first', () => {
    const out = mergeLines3('import a;\n\nregister(a);\nreturn app;\n', 'import a;\nimport mine;\n\nregister(a);\nregister(mine);\nreturn app;\n', 'import a;\nimport b;\n\nregister(a);\nregister(b);\nreturn app;\n', labels);
    expect(out).toEqual({ text: 'import a;\nimport b;\nimport mine;\n\nregister(a);\nregister(b);\nregister(mine);\nreturn app;\n', conflicts: [] });
  });

  it('without a base, marks every difference as a conflict instead of guessing', () => {
    const out = mergeWithoutBase('same\nmine\nend\n', 'same\ntheirs\nend\n', labels);
    expect(out.text).toBe('same\n<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> create-backend 9.9.9\nend\n');
    expect(out.conflicts).toHaveLength(1);
  });

  it('merges package.json by key when the line merge conflicts: the user script and the template bump both land', async () => {
    const base = '{\n  "scripts": {\n    "test": "vitest run"\n  },\n  "dependencies": {\n    "fastify": "5.0.0"\n  }\n}\n';
    const ours = '{\n  "scripts": {\n    "test": "vitest run",\n    "seed": "tsx seed.ts"\n  },\n  "dependencies": {\n    "fastify": "5.0.0",\n    "zod": "4.0.0"\n  }\n}\n';
    const theirs = '{\n  "scripts": {\n    "test": "vitest run --coverage"\n  },\n  "dependencies": {\n    "fastify": "5.1.0"\n  }\n}\n';
    const out = await merge('package.json', base, ours, theirs);
    expect(out.conflicts).toEqual([]);
    expect(JSON.parse(out.text)).toEqual({ scripts: { test: 'vitest run --coverage', seed: 'tsx seed.ts' }, dependencies: { fastify: '5.1.0', zod: '4.0.0' } });
  });

  it('reports a conflict in package.json when both sides set the same key differently', async () => {
    const out = await merge('package.json', '{"a": 1}\n', '{"a": 2}\n', '{"a": 3}\n');
    expect(out.conflicts.length).toBeGreaterThan(0);
    expect(out.text).toContain('"a": 2');
    expect(out.text).toContain('"a": 3');
  });

  it('merges compose.yaml structurally, keeping the user comments, keys and order', async () => {
    const base = 'services:\n  app:\n    image: app:1\n    ports:\n      - "8000:8000"\n  db:\n    image: postgres:17.10\n';
    const ours = 'services:\n  app:\n    # pinned for the demo\n    image: app:1\n    ports:\n      - "8000:8000"\n    environment:\n      FEATURE_X: "on"\n  db:\n    image: postgres:17.10\n  redis:\n    image: redis:7\n';
    const theirs = 'services:\n  app:\n    image: app:1\n    ports:\n      - "8000:8000"\n    read_only: true\n  db:\n    image: postgres:17.11\n';
    const out = await merge('compose.yaml', base, ours, theirs);
    expect(out.conflicts).toEqual([]);
    expect(out.text).toContain('# pinned for the demo');
    expect(out.text).toContain('FEATURE_X: "on"');
    expect(out.text).toContain('read_only: true');
    expect(out.text).toContain('image: postgres:17.11');
    expect(out.text).toContain('redis:\n    image: redis:7');
  });

  it('merges requirements by package: a user pin next to a template bump, comments kept', async () => {
    const base = '# web\nflask==3.1.0\nsqlalchemy==2.0.0\n';
    const ours = '# web\nflask==3.1.0\nrequests==2.32.0  # for the webhook\nsqlalchemy==2.0.0\n';
    const theirs = '# web\nflask==3.1.3\nsqlalchemy==2.0.0\nalembic==1.20.1\n';
    const out = await merge('requirements.txt', base, ours, theirs);
    expect(out.conflicts).toEqual([]);
    expect(out.text).toBe('# web\nflask==3.1.3\nrequests==2.32.0  # for the webhook\nsqlalchemy==2.0.0\nalembic==1.20.1\n');
  });

  it('merges pyproject.toml by lines, keeping comments, and refuses a result that is not TOML', async () => {
    const base = '[project]\nname = "x"\ndependencies = [\n  "flask==3.1.0",\n]\n\n[tool.ruff]\nline-length = 100\n';
    const ours = '# my notes\n[project]\nname = "x"\ndependencies = [\n  "flask==3.1.0",\n]\n\n[tool.ruff]\nline-length = 120  # wide screens\n';
    const theirs = '[project]\nname = "x"\ndependencies = [\n  "flask==3.1.3",\n]\n\n[tool.ruff]\nline-length = 100\n';
    const out = await merge('pyproject.toml', base, ours, theirs);
    expect(out.conflicts).toEqual([]);
    expect(out.text).toContain('# my notes');
    expect(out.text).toContain('line-length = 120  # wide screens');
    expect(out.text).toContain('"flask==3.1.3"');
  });

  it('merges .env.example by key and keeps the user values', async () => {
    const base = 'PORT=8000\nLOG_LEVEL=info\n';
    const ours = 'PORT=9000\nLOG_LEVEL=info\nMY_KEY=1\n';
    const theirs = 'PORT=8000\nLOG_LEVEL=warning\n# Redis for the shared limits\nREDIS_URL=\n';
    const out = await merge('.env.example', base, ours, theirs);
    expect(out.conflicts).toEqual([]);
    expect(out.text).toContain('PORT=9000');
    expect(out.text).toContain('LOG_LEVEL=warning');
    expect(out.text).toContain('MY_KEY=1');
    expect(out.text).toContain('# Redis for the shared limits\nREDIS_URL=');
  });
});

describe('three-way merge, properties', () => {
  // Files of distinct numbered lines, so "a user line" is identifiable after the merge.
  const lines = (n: number, tag: string): string[] => Array.from({ length: n }, (_, i) => `${tag}${i}`);
  const edit = (tag: string) =>
    fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'delete', 'change') }), { maxLength: 4 }).map((edits) => (file: string[]) => {
      const out = [...file];
      edits.forEach((e, i) => {
        const at = out.length === 0 ? 0 : e.at % out.length;
        if (e.kind === 'insert') out.splice(at, 0, `${tag}-new${i}`);
        else if (e.kind === 'delete' && out.length > 0) out.splice(at, 1);
        else if (out.length > 0) out[at] = `${tag}-changed${i}`;
      });
      return out;
    });

  it('never loses a line the user added or changed, and never resurrects a line the user deleted that the template did not touch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), edit('user'), edit('tmpl'), (n, userEdit, templateEdit) => {
        const base = lines(n, 'base');
        const ours = userEdit(base);
        const theirs = templateEdit(base);
        const text = (l: string[]): string => (l.length ? `${l.join('\n')}\n` : '');
        const out = mergeLines3(text(base), text(ours), text(theirs), labels).text.split('\n');
        for (const line of ours.filter((l) => l.startsWith('user'))) expect(out).toContain(line);
        for (const line of base.filter((l) => !ours.includes(l) && theirs.includes(l))) {
          // Deleted by the user, untouched by the template: it may appear only inside a conflict block.
          const outside = out.filter((l, i) => l === line && !insideConflict(out, i));
          expect(outside).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('is idempotent: merging the result again with the same template changes nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), edit('user'), edit('tmpl'), (n, userEdit, templateEdit) => {
        const text = (l: string[]): string => (l.length ? `${l.join('\n')}\n` : '');
        const base = text(lines(n, 'base'));
        const theirs = text(templateEdit(lines(n, 'base')));
        const once = mergeLines3(base, text(userEdit(lines(n, 'base'))), theirs, labels);
        fc.pre(once.conflicts.length === 0);
        // The next run's base is the template's render; the user's file is the merged one.
        expect(mergeLines3(theirs, once.text, theirs, labels).text).toBe(once.text);
      }),
      { numRuns: 300 },
    );
  });
});

function insideConflict(out: string[], index: number): boolean {
  let depth = 0;
  for (let i = 0; i <= index; i++) {
    if (out[i]!.startsWith('<<<<<<< ')) depth++;
    if (out[i]!.startsWith('>>>>>>> ')) depth--;
  }
  return depth > 0;
}
