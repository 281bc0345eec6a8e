// First: it must run before the prompts' colour library loads.
import './no-color.js';
import prompts, { type PromptObject } from 'prompts';
import { bestAvailable, packageManagerOf, profileOf } from '../answers/resolve.js';
import { PROFILE_QUESTIONS, QUESTIONS, isChoice, isMulti, type Answers, type PartialAnswers } from '../answers/questions.js';
import { CancelledError } from '../errors.js';
import { recommend } from '../recommend/recommend.js';
import { STACKS } from '../stacks/stacks.js';
import { formatChoice, formatRecommendation } from './format.js';

/** Options of one prompt session. */
export interface InteractiveOptions {
  readonly defaultName: string;
  readonly write: (text: string) => void;
}

async function ask(questions: PromptObject[]): Promise<Record<string, string>> {
  // prompts resolves with partial answers on Ctrl-C unless onCancel throws.
  return prompts(questions, {
    onCancel: () => {
      throw new CancelledError();
    },
  });
}

/**
 * The terminal flow. Without a stack: asks the profile questions not answered yet, shows the
 * ranking and lets the user confirm the recommended stack or pick another. With a stack: one line
 * about the choice, no survey. Then the database and the features, if not given.
 */
export async function askInteractively(given: PartialAnswers, options: InteractiveOptions): Promise<Answers> {
  const profileQuestions: PromptObject[] = given.stack
    ? []
    : PROFILE_QUESTIONS.filter((q) => given[q.id as keyof PartialAnswers] === undefined).map((q) => ({
        type: 'select',
        name: q.id,
        message: q.message,
        choices: q.choices.map((c) => ({ title: c.title, value: c.value })),
        initial: Math.max(0, q.choices.findIndex((c) => c.value === q.default)),
      }));
  const profileAnswers = { ...given, ...(await ask(profileQuestions)) } as PartialAnswers;
  const recommendation = recommend(profileOf(profileAnswers));
  options.write(given.stack ? formatChoice(given.stack, recommendation) : `\n${formatRecommendation(recommendation)}\n`);

  const dbQuestion = QUESTIONS.filter(isChoice).find((q) => q.id === 'db')!;
  const featuresQuestion = QUESTIONS.filter(isMulti)[0]!;
  const recommended = bestAvailable(recommendation);
  const rest = await ask([
    ...(given.stack
      ? []
      : [
          {
            type: 'select' as const,
            name: 'stack',
            message: 'Stack (the recommendation is preselected)',
            choices: recommendation.ranking.map((r) => ({
              title: `${STACKS[r.stack].label}${r.stack === recommended ? '  (recommended)' : ''}`,
              value: r.stack,
              disabled: STACKS[r.stack].unavailable !== undefined,
            })),
            initial: recommendation.ranking.findIndex((r) => r.stack === recommended),
            warn: 'Not available in this version',
          },
        ]),
    ...(given.db
      ? []
      : [
          {
            type: 'select' as const,
            name: 'db',
            message: dbQuestion.message,
            choices: dbQuestion.choices.map((c) => ({ title: c.title, value: c.value })),
            initial: 0,
          },
        ]),
    ...(given.features
      ? []
      : [
          {
            type: 'multiselect' as const,
            name: 'features',
            message: featuresQuestion.message,
            choices: featuresQuestion.choices.map((c) => ({ title: c.title, value: c.value, selected: (featuresQuestion.default as readonly string[]).includes(c.value) })),
            instructions: false,
            hint: 'space toggles, enter confirms',
          },
        ]),
  ]);
  const merged = { ...profileAnswers, ...rest } as PartialAnswers;
  const stack = merged.stack ?? recommended;
  return {
    ...profileOf(merged),
    stack,
    db: merged.db ?? 'sqlite',
    name: merged.name ?? options.defaultName,
    features: merged.features ?? [...featuresQuestion.default],
    ...packageManagerOf(stack, merged),
  };
}

/** Asks for the project name when no directory was given; the project goes into a folder of that name. */
export async function askProjectName(): Promise<string> {
  const question = QUESTIONS.find((q) => q.kind === 'text')!;
  const { name } = await ask([
    {
      type: 'text',
      name: 'name',
      message: question.message,
      initial: 'my-api',
      validate: (v: string) => (question.pattern.test(v) && v.length <= question.maxLength) || `Use ${question.patternHint}.`,
    },
  ]);
  return name!;
}
