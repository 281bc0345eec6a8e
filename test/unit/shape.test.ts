import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/questions.js';
import { isReadyMadeAnswers } from '../../src/engine/ready-made.js';
import { isResourceLayer, layersFor, PLAIN_SHAPE, projectShape } from '../../src/stacks/features.js';

const answers = (overrides: Partial<Answers>): Answers =>
  ({ name: 'x', db: 'sqlite', features: [], stack: 'django', workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container', ...overrides }) as Answers;

describe('the shape of a project', () => {
  it('follows --admin on Django only, and --sensitive-data on every stack', () => {
    expect(projectShape(answers({}))).toMatchObject({ realtime: false, admin: false, sensitiveData: false });
    expect(projectShape(answers({ admin: 'yes' })).admin).toBe(true);
    for (const stack of ['node', 'flask', 'php'] as const) {
      expect(projectShape(answers({ stack, admin: 'yes' })).admin, stack).toBe(false);
      expect(projectShape(answers({ stack, 'sensitive-data': 'yes' })).sensitiveData, stack).toBe(true);
    }
    expect(projectShape(answers({ 'sensitive-data': 'yes' })).sensitiveData).toBe(true);
  });

  it('adds the admin layers, its combination with a feature and its per-resource layer', () => {
    const layers = layersFor('django', ['docker', 'ci'], projectShape(answers({ admin: 'yes' })));
    expect(layers).toEqual(expect.arrayContaining(['django/admin', 'django/docker+admin', 'django/ci+admin', 'django/admin+resource']));
    expect(layers.indexOf('django/admin+resource')).toBeGreaterThan(layers.indexOf('django/resource'));
    expect(layersFor('django', ['docker'], PLAIN_SHAPE).filter((l) => l.includes('admin'))).toEqual([]);
    expect(isResourceLayer('django/admin+resource')).toBe(true);
    expect(isResourceLayer('django/admin')).toBe(false);
  });

  it('leaves the layers alone for sensitive data: it changes files, not the set of them', () => {
    expect(layersFor('flask', ['docker'], projectShape(answers({ stack: 'flask', 'sensitive-data': 'yes' })))).toEqual(layersFor('flask', ['docker'], PLAIN_SHAPE));
  });
});

describe('ready-made renders and the shaping answers', () => {
  it('are taken only for the plain shape', () => {
    expect(isReadyMadeAnswers(answers({}))).toBe(true);
    expect(isReadyMadeAnswers(answers({ admin: 'yes' }))).toBe(false);
    expect(isReadyMadeAnswers(answers({ 'sensitive-data': 'yes' }))).toBe(false);
    expect(isReadyMadeAnswers(answers({ stack: 'php', 'sensitive-data': 'yes' }))).toBe(false);
    // No admin outside Django, so the render is the plain one.
    expect(isReadyMadeAnswers(answers({ stack: 'node', admin: 'yes' }))).toBe(true);
  });
});
