import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/questions.js';
import { isNewProjectResources, isReadyMadeAnswers, makeReadyMade, readyMadeTree } from '../../src/engine/ready-made.js';
import { Tree } from '../../src/engine/tree.js';
import { NOTE_RESOURCE } from '../../src/resources/spec.js';
import type { Feature } from '../../src/stacks/features.js';

const answersFor = (name: string, db: 'sqlite' | 'postgres', features: Feature[]): Answers =>
  ({ name, db, features, stack: 'node', workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container' }) as Answers;

/** A stand-in for the templates: the name in both spellings, a database line, one file per feature. */
function render(name: string, db: string, features: Feature[], extra?: (name: string) => string): Promise<Tree> {
  const tree = new Tree();
  tree.write('package.json', `{"name": "${name}", "db": "${db}"}\n`);
  tree.write('app/settings.py', `DATABASE = "${name.replaceAll('-', '_')}.db"\n`);
  for (const feature of features) tree.write(`${feature}.txt`, `${feature} of ${name}\n`, 0o755);
  if (extra) tree.write('extra.txt', extra(name));
  return Promise.resolve(tree);
}

describe('ready-made new-project renders', () => {
  it('give back, for any name, exactly what rendering gives', async () => {
    const made = { sqlite: await makeReadyMade((name, features) => render(name, 'sqlite', features), 'sqlite', '1.2.3'), postgres: await makeReadyMade((name, features) => render(name, 'postgres', features), 'postgres', '1.2.3') };
    expect(made.sqlite.skipped).toEqual([]);
    expect(Object.keys(made.sqlite.readyMade.variants)).toHaveLength(8);
    for (const [name, db, features] of [['api', 'sqlite', []], ['my-long-api-2', 'postgres', ['ci', 'backup']], ['x', 'sqlite', ['docker', 'ci', 'backup']]] as const) {
      const expected = await render(name, db, [...features]);
      const tree = readyMadeTree(made[db].readyMade, answersFor(name, db, [...features]))!;
      expect(tree.paths()).toEqual(expected.paths());
      for (const path of expected.paths()) {
        expect(tree.read(path), path).toBe(expected.read(path));
        expect(tree.get(path)!.mode, path).toBe(expected.get(path)!.mode);
      }
    }
  });

  it('leave out a variant whose templates spell the name another way or lay it out by its length', async () => {
    const shouting = await makeReadyMade((name, features) => render(name, 'postgres', features, (n) => (features.includes('ci') ? n.toUpperCase() : 'quiet')), 'postgres', '1');
    expect(shouting.skipped).toEqual(['postgres|ci', 'postgres|docker,ci', 'postgres|ci,backup', 'postgres|docker,ci,backup']);
    expect(readyMadeTree(shouting.readyMade, answersFor('api', 'postgres', ['ci']))).toBeUndefined();
    expect(readyMadeTree(shouting.readyMade, answersFor('api', 'postgres', ['docker']))?.read('extra.txt')).toBe('quiet');
    const underlined = await makeReadyMade((name, features) => render(name, 'sqlite', features, (n) => `${n}\n${'='.repeat(n.length)}\n`), 'sqlite', '1');
    expect(underlined.skipped).toHaveLength(8);
  });

  it('apply only to the resources a new project starts with', () => {
    expect(isNewProjectResources([NOTE_RESOURCE])).toBe(true);
    expect(isNewProjectResources([NOTE_RESOURCE, { name: 'Task', fields: [{ name: 'title', type: 'string', max: 40, optional: false }] }])).toBe(false);
    expect(isNewProjectResources([{ ...NOTE_RESOURCE, fields: NOTE_RESOURCE.fields.slice(0, 1) }])).toBe(false);
  });
});

describe('ready-made renders and the answers', () => {
  it('cover every workload but realtime, whose project has an event stream', () => {
    expect(isReadyMadeAnswers(answersFor('x', 'sqlite', []))).toBe(true);
    expect(isReadyMadeAnswers({ ...answersFor('x', 'sqlite', []), workload: 'realtime' } as Answers)).toBe(false);
  });
});
