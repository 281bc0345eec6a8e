import { MissingAnswerError } from '../errors.js';
import type { Recommendation } from '../recommend/recommend.js';
import { DEFAULT_FEATURES } from '../stacks/features.js';
import { detectPackageManager } from '../stacks/package-manager.js';
import { STACKS } from '../stacks/stacks.js';
import { PROFILE_QUESTIONS, type Answers, type PartialAnswers, type Profile } from './questions.js';

/**
 * Merges answer sources; the first source that has an answer wins. The CLI passes them in the
 * documented precedence: flags, answers file, stored manifest.
 */
export function mergeSources(...sources: readonly PartialAnswers[]): PartialAnswers {
  const merged: Record<string, unknown> = {};
  for (const source of [...sources].reverse()) {
    for (const [key, value] of Object.entries(source)) if (value !== undefined) merged[key] = value;
  }
  return merged as PartialAnswers;
}

/** The project profile with a default for every unanswered question. */
export function profileOf(partial: PartialAnswers): Profile {
  const profile: Record<string, string> = {};
  for (const q of PROFILE_QUESTIONS) profile[q.id] = (partial[q.id as keyof PartialAnswers] as string | undefined) ?? q.default!;
  return profile as unknown as Profile;
}

/** The best-ranked stack that this version can generate. */
export function bestAvailable(recommendation: Recommendation): Answers['stack'] {
  const found = recommendation.ranking.find((r) => STACKS[r.stack].unavailable === undefined);
  return found!.stack;
}

/**
 * Completes answers without asking anything. With `yes`, the recommended stack and the defaults
 * fill the gaps; without it, the stack must have been chosen explicitly, and the error names the
 * flag to pass.
 */
export function completeAnswers(
  partial: PartialAnswers,
  options: { readonly yes: boolean; readonly recommendation: Recommendation; readonly defaultName: string },
): Answers {
  const stack = partial.stack ?? (options.yes ? bestAvailable(options.recommendation) : undefined);
  if (stack === undefined) {
    throw new MissingAnswerError(
      'No stack was chosen, and there is no terminal to ask on.',
      `Pass --stack <node|django|flask|php>, or --yes to take the recommended stack (${options.recommendation.winner.stack}).`,
    );
  }
  return { ...profileOf(partial), stack, db: partial.db ?? 'sqlite', name: partial.name ?? options.defaultName, features: partial.features ?? [...DEFAULT_FEATURES], ...packageManagerOf(stack, partial) };
}

/**
 * A Node project's package manager: the one asked for, else the one running create-backend
 * (`pnpm create …` makes a pnpm project). Other stacks have none, so the answer is dropped.
 */
export function packageManagerOf(stack: Answers['stack'], partial: PartialAnswers): Pick<Answers, 'package-manager'> {
  return stack === 'node' ? { 'package-manager': partial['package-manager'] ?? detectPackageManager() } : {};
}
