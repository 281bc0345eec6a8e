import { describe, expect, it } from 'vitest';
import { OPTIONS, parseCommandLine } from '../../src/cli/args.js';
import { QUESTIONS } from '../../src/answers/questions.js';
import { completeAnswers, mergeSources, profileOf } from '../../src/answers/resolve.js';
import { answersJsonSchema } from '../../src/answers/schema.js';
import { FLAG_SOURCE, fileSource, validateAnswers } from '../../src/answers/validate.js';
import { InvalidAnswerError, MissingAnswerError, UsageError } from '../../src/errors.js';
import { recommend } from '../../src/recommend/recommend.js';
import { STACKS } from '../../src/stacks/stacks.js';

describe('question mapping', () => {
  it('gives every question a flag, an answers-file key and a JSON-schema entry', () => {
    const schema = answersJsonSchema() as { properties: Record<string, { enum?: string[] }>; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    for (const q of QUESTIONS) {
      expect(OPTIONS[q.id], `flag --${q.id}`).toEqual({ type: 'string' });
      expect(schema.properties[q.id], `schema ${q.id}`).toBeDefined();
      if (q.kind === 'choice') expect(schema.properties[q.id]!.enum).toEqual(q.choices.map((c) => c.value));
      if (q.kind === 'multi') {
        // A list: a JSON array in a file, comma-separated (or `none`) on the command line.
        const values = q.choices.map((c) => c.value);
        expect(validateAnswers({ [q.id]: [values[1], values[0]] }, fileSource('a.json'))).toEqual({ [q.id]: [values[0], values[1]] });
        expect(validateAnswers({ [q.id]: `${values[1]},${values[0]}` }, FLAG_SOURCE)).toEqual({ [q.id]: [values[0], values[1]] });
        expect(validateAnswers({ [q.id]: 'none' }, FLAG_SOURCE)).toEqual({ [q.id]: [] });
        expect(() => validateAnswers({ [q.id]: 'dokcer' }, FLAG_SOURCE)).toThrow(/--features .*"dokcer"/);
        try {
          validateAnswers({ [q.id]: 'dokcer' }, FLAG_SOURCE);
        } catch (error) {
          expect((error as InvalidAnswerError).hint).toMatch(/^Did you mean docker\?/);
        }
        expect(parseCommandLine([`--${q.id}`, 'none']).answerFlags).toEqual({ [q.id]: 'none' });
        continue;
      }
      // The same key is accepted in a file and as a flag.
      const value = q.kind === 'choice' ? q.choices[0].value : 'my-api';
      expect(validateAnswers({ [q.id]: value }, fileSource('a.json'))).toEqual({ [q.id]: value });
      expect(parseCommandLine([`--${q.id}`, value]).answerFlags).toEqual({ [q.id]: value });
    }
    // No schema entry without a question (besides $schema).
    expect(Object.keys(schema.properties).sort()).toEqual(['$schema', ...QUESTIONS.map((q) => q.id)].sort());
  });

  it('has the question ids and values the recommendation is driven by', () => {
    const ids = QUESTIONS.map((q) => q.id);
    for (const id of ['workload', 'team', 'size', 'concurrency', 'sensitive-data', 'admin', 'stack', 'db', 'name']) expect(ids).toContain(id);
  });
});

describe('validation', () => {
  it('rejects unknown values and names the flag and the allowed values', () => {
    expect(() => validateAnswers({ stack: 'rails' }, FLAG_SOURCE)).toThrow(InvalidAnswerError);
    expect(() => validateAnswers({ stack: 'rails' }, FLAG_SOURCE)).toThrow(/--stack/);
    try {
      validateAnswers({ workload: 'batch' }, FLAG_SOURCE);
    } catch (error) {
      expect((error as InvalidAnswerError).hint).toBe('Use one of: crud, realtime, content, data, cpu, ml.');
    }
  });

  it('rejects unknown keys and non-string values from a file, naming the key', () => {
    expect(() => validateAnswers({ colour: 'blue' }, fileSource('a.json'))).toThrow(/key "colour" in a.json is not a known question/);
    expect(() => validateAnswers({ admin: true }, fileSource('a.json'))).toThrow(/must be a string/);
  });

  it.each(['My-Api', '1api', 'api-', 'a--b', 'a_b', '', 'x'.repeat(64), '../evil'])('rejects the project name %j', (name) => {
    expect(() => validateAnswers({ name }, FLAG_SOURCE)).toThrow(InvalidAnswerError);
  });

  it.each(['a', 'my-api', 'api2', 'x'.repeat(63)])('accepts the project name %j', (name) => {
    expect(validateAnswers({ name }, FLAG_SOURCE)).toEqual({ name });
  });
});

describe('precedence', () => {
  const manifest = { workload: 'data', team: 'python', db: 'postgres' } as const;
  const file = { workload: 'content', team: 'php' } as const;
  const flags = { workload: 'realtime' } as const;

  it('takes flags over the answers file over the stored manifest', () => {
    expect(mergeSources(flags, file, manifest)).toEqual({ workload: 'realtime', team: 'php', db: 'postgres' });
  });

  it('fills the rest with defaults', () => {
    expect(profileOf({ team: 'python' })).toEqual({
      workload: 'crud', team: 'python', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container',
    });
  });

  it('with --yes takes the best available stack, skipping stacks this version cannot generate', () => {
    const partial = { workload: 'content', team: 'php', hosting: 'shared' } as const;
    const recommendation = recommend(profileOf(partial));
    expect(recommendation.winner.stack).toBe('php');
    expect(completeAnswers(partial, { yes: true, recommendation, defaultName: 'site' }).stack).toBe('php');
    // A stack a build cannot generate is skipped, and the next best is taken.
    const php = STACKS.php as { unavailable?: string };
    const before = php.unavailable;
    php.unavailable = 'not in this build';
    try {
      const answers = completeAnswers(partial, { yes: true, recommendation, defaultName: 'site' });
      expect(answers.stack).toBe(recommendation.ranking[1]!.stack);
      expect(answers).toMatchObject({ name: 'site', db: 'sqlite' });
    } finally {
      php.unavailable = before;
    }
  });

  it('without --yes and without a terminal, a missing stack is an error naming the flag', () => {
    const recommendation = recommend(profileOf({}));
    expect(() => completeAnswers({}, { yes: false, recommendation, defaultName: 'x' })).toThrow(MissingAnswerError);
    try {
      completeAnswers({}, { yes: false, recommendation, defaultName: 'x' });
    } catch (error) {
      expect((error as MissingAnswerError).hint).toMatch(/--stack/);
    }
  });
});

describe('command line', () => {
  it('parses commands, the directory and switches', () => {
    const args = parseCommandLine(['my-api', '--stack', 'node', '--yes', '--no-install', '--no-git', '--dry-run', '--json']);
    expect(args).toMatchObject({ command: 'create', directory: 'my-api', yes: true, install: false, git: false, dryRun: true, json: true });
    expect(parseCommandLine(['recommend', '--team', 'python']).command).toBe('recommend');
    expect(parseCommandLine(['schema']).command).toBe('schema');
  });

  it('rejects unknown flags with a suggestion', () => {
    expect(() => parseCommandLine(['--stak', 'node'])).toThrow(UsageError);
    try {
      parseCommandLine(['--stak', 'node']);
    } catch (error) {
      expect((error as UsageError).message).toBe('Unknown flag --stak.');
      expect((error as UsageError).hint).toMatch(/--stack/);
    }
  });

  it('rejects a flag without its value and extra arguments', () => {
    expect(() => parseCommandLine(['--stack'])).toThrow(/needs a value/);
    expect(() => parseCommandLine(['a', 'b'])).toThrow(/Unexpected argument "b"/);
    expect(() => parseCommandLine(['schema', 'x'])).toThrow(UsageError);
  });
});
