import { describe, expect, it } from 'vitest';
import { PROFILE_QUESTIONS, type PartialAnswers, type StackId } from '../../src/answers/questions.js';
import { profileOf } from '../../src/answers/resolve.js';
import { recommend } from '../../src/recommend/recommend.js';
import { RULES } from '../../src/recommend/rules.js';

/** Scenario → expected full ranking. Unlisted answers take their defaults (crud, mixed, small…). */
const SCENARIOS: readonly [string, PartialAnswers, StackId[]][] = [
  ['defaults: a small CRUD API', {}, ['flask', 'node', 'php', 'django']],
  ['chat app, JS team, many connections', { workload: 'realtime', team: 'javascript', concurrency: 'high' }, ['node', 'flask', 'django', 'php']],
  ['large data-heavy back-office with sensitive data, Python team', { workload: 'data', size: 'large', admin: 'yes', 'sensitive-data': 'yes', team: 'python' }, ['django', 'flask', 'node', 'php']],
  ['ML model serving prototype, Python team', { workload: 'ml', size: 'prototype', team: 'python' }, ['flask', 'django', 'node', 'php']],
  ['content site, PHP team, shared hosting', { workload: 'content', team: 'php', hosting: 'shared' }, ['php', 'flask', 'node', 'django']],
  ['CPU-heavy processing, Python team, medium', { workload: 'cpu', team: 'python', size: 'medium' }, ['flask', 'django', 'php', 'node']],
  ['CRUD, JS team, medium', { team: 'javascript', size: 'medium' }, ['node', 'django', 'flask', 'php']],
  ['CRUD, Python team, large', { team: 'python', size: 'large' }, ['django', 'flask', 'node', 'php']],
  ['real-time, Python team, small', { workload: 'realtime', team: 'python' }, ['flask', 'node', 'django', 'php']],
  ['real-time, Python team, high concurrency', { workload: 'realtime', team: 'python', concurrency: 'high' }, ['node', 'flask', 'django', 'php']],
  ['needs an admin back-office', { admin: 'yes' }, ['django', 'flask', 'php', 'node']],
  ['handles payments', { 'sensitive-data': 'yes' }, ['django', 'flask', 'node', 'php']],
  ['cheap shared hosting', { hosting: 'shared' }, ['php', 'flask', 'node', 'django']],
  ['large real-time platform, JS team', { workload: 'realtime', size: 'large', team: 'javascript', concurrency: 'high' }, ['node', 'django', 'flask', 'php']],
  ['prototype', { size: 'prototype' }, ['flask', 'node', 'php', 'django']],
  ['data-heavy, medium', { workload: 'data', size: 'medium' }, ['django', 'flask', 'node', 'php']],
  ['CPU-heavy, JS team', { workload: 'cpu', team: 'javascript' }, ['flask', 'node', 'php', 'django']],
  ['large content site', { workload: 'content', size: 'large' }, ['django', 'php', 'node', 'flask']],
  ['ML serving at large size, Python team', { workload: 'ml', size: 'large', team: 'python' }, ['django', 'flask', 'node', 'php']],
  ['CRUD, PHP team, medium', { team: 'php', size: 'medium' }, ['php', 'django', 'flask', 'node']],
  ['real-time, PHP team, high concurrency', { workload: 'realtime', team: 'php', concurrency: 'high' }, ['node', 'php', 'flask', 'django']],
  ['real-time prototype, JS team', { workload: 'realtime', size: 'prototype', team: 'javascript' }, ['node', 'flask', 'php', 'django']],
  ['small Python API that wants flexibility', { team: 'python', size: 'small' }, ['flask', 'django', 'node', 'php']],
];

describe('recommend', () => {
  it.each(SCENARIOS)('%s', (_title, answers, expected) => {
    const { ranking } = recommend(profileOf(answers));
    expect(ranking.map((r) => r.stack)).toEqual(expected);
  });

  it('ranks scores from best to worst and names the first as the winner', () => {
    for (const [, answers] of SCENARIOS) {
      const { ranking, winner } = recommend(profileOf(answers));
      expect(winner).toBe(ranking[0]);
      for (let i = 1; i < ranking.length; i++) expect(ranking[i - 1]!.score).toBeGreaterThanOrEqual(ranking[i]!.score);
    }
  });

  it('explains why Django wins for a large, data-heavy, sensitive back-office', () => {
    const { winner } = recommend(profileOf({ workload: 'data', size: 'large', admin: 'yes', 'sensitive-data': 'yes', team: 'python' }));
    expect(winner.stack).toBe('django');
    expect(winner.reasons.join(' ')).toMatch(/admin/i);
    expect(winner.reasons.join(' ')).toMatch(/SQL injection|security/i);
    expect(winner.considerations).toContain('Can be overkill for small projects.');
  });

  it('explains why Flask wins for ML serving and prototypes', () => {
    const { winner } = recommend(profileOf({ workload: 'ml', size: 'prototype', team: 'python' }));
    expect(winner.stack).toBe('flask');
    expect(winner.reasons[0]).toMatch(/machine-learning/);
    expect(winner.considerations.join(' ')).toMatch(/more setup/);
  });

  it('warns about CPU-heavy work on Node even when Node is the team language', () => {
    const node = recommend(profileOf({ workload: 'cpu', team: 'javascript' })).ranking.find((r) => r.stack === 'node')!;
    expect(node.considerations[0]).toMatch(/CPU-intensive/);
  });

  it('is deterministic', () => {
    const profile = profileOf({ workload: 'realtime', size: 'large' });
    expect(recommend(profile)).toEqual(recommend(profile));
  });

  it('only refers to questions and values that exist', () => {
    for (const rule of RULES) {
      for (const [id, value] of Object.entries(rule.when)) {
        const question = PROFILE_QUESTIONS.find((q) => q.id === id);
        expect(question, id).toBeDefined();
        expect(question!.choices.map((c) => c.value)).toContain(value);
      }
    }
  });
});

/**
 * PHP, the fourth system of the comparison: where it wins (content sites, PHP teams, cheap shared
 * hosting) and where it must not (real-time, machine learning), with the full ranking and the
 * reasons and considerations the user is shown.
 */
const PHP_SCENARIOS: readonly {
  title: string;
  answers: PartialAnswers;
  ranking: StackId[];
  /** Sentences the PHP entry must give as reasons, and as considerations. */
  phpReasons: string[];
  phpConsiderations: string[];
}[] = [
  {
    title: 'CMS-style content site, PHP team, medium size',
    answers: { workload: 'content', team: 'php', size: 'medium' },
    ranking: ['php', 'django', 'node', 'flask'],
    phpReasons: ['PHP is the backbone of content sites and CMSs such as WordPress.', 'Your team already writes PHP, which is easy to learn and widely supported.'],
    phpConsiderations: ['Code can become messy if not well structured.'],
  },
  {
    title: 'small content site for cheap shared hosting, PHP team',
    answers: { workload: 'content', team: 'php', hosting: 'shared', size: 'small' },
    ranking: ['php', 'flask', 'node', 'django'],
    phpReasons: ['Runs on cheap shared hosting almost everywhere.', 'Cheap to host and easy to learn for a small site.'],
    phpConsiderations: ['May not perform as well as newer technologies for some tasks.'],
  },
  {
    title: 'shared hosting decides it even for a JavaScript team',
    answers: { hosting: 'shared', team: 'javascript' },
    ranking: ['php', 'node', 'flask', 'django'],
    phpReasons: ['Runs on cheap shared hosting almost everywhere.'],
    phpConsiderations: ['Your team would have to learn PHP.'],
  },
  {
    title: 'PHP team building a small CRUD API',
    answers: { team: 'php' },
    ranking: ['php', 'flask', 'node', 'django'],
    phpReasons: ['Integrates well with databases for classic server-side CRUD.', 'Your team already writes PHP, which is easy to learn and widely supported.'],
    phpConsiderations: ['Code can become messy if not well structured.'],
  },
  {
    title: 'real-time chat with a PHP team: Node wins, PHP is told why not',
    answers: { workload: 'realtime', team: 'php' },
    ranking: ['node', 'php', 'flask', 'django'],
    phpReasons: ['Your team already writes PHP, which is easy to learn and widely supported.'],
    phpConsiderations: ['Request-per-process PHP is a poor fit for long-lived real-time connections.'],
  },
  {
    title: 'model serving with a PHP team: Flask wins',
    answers: { workload: 'ml', team: 'php' },
    ranking: ['flask', 'php', 'node', 'django'],
    phpReasons: ['Your team already writes PHP, which is easy to learn and widely supported.'],
    phpConsiderations: ['PHP has little machine-learning tooling.'],
  },
];

describe('recommend: PHP scenarios', () => {
  it.each(PHP_SCENARIOS)('$title', ({ answers, ranking, phpReasons, phpConsiderations }) => {
    const result = recommend(profileOf(answers));
    expect(result.ranking.map((r) => r.stack)).toEqual(ranking);
    const php = result.ranking.find((r) => r.stack === 'php')!;
    for (const reason of phpReasons) expect(php.reasons).toContain(reason);
    for (const consideration of phpConsiderations) expect(php.considerations).toContain(consideration);
    if (ranking[0] !== 'php') expect(result.winner.stack).not.toBe('php');
  });

  it('explains why Node, not PHP, wins a real-time app for a PHP team', () => {
    const { winner } = recommend(profileOf({ workload: 'realtime', team: 'php' }));
    expect(winner.stack).toBe('node');
    expect(winner.reasons[0]).toMatch(/real-time/);
  });
});
