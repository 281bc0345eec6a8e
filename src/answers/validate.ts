import { InvalidAnswerError } from '../errors.js';
import { suggest } from '../suggest.js';
import { QUESTIONS, questionById, type PartialAnswers, type Question } from './questions.js';

/** Where a set of answers came from, used to tell the user which flag or file to fix. */
export interface AnswerSource {
  /** e.g. `flag`, `answers file answers.json`, `manifest .create-backend.json`. */
  readonly label: string;
  /** How to name one answer in this source, e.g. `--sensitive-data` or `key "sensitive-data"`. */
  readonly nameOf: (id: string) => string;
}

/** Answers given on the command line. */
export const FLAG_SOURCE: AnswerSource = { label: 'the command line', nameOf: (id) => `--${id}` };

/** Answers read from a JSON file (answers file or manifest). */
export function fileSource(file: string): AnswerSource {
  return { label: file, nameOf: (id) => `key "${id}"` };
}

/**
 * A subset of the choices: a JSON array, or (on the command line) a comma-separated string,
 * `none` for the empty set. Returned in the choices' order, without duplicates.
 */
function checkMulti(question: Extract<Question, { kind: 'multi' }>, raw: unknown, where: string): string[] {
  const allowed = question.choices.map((c) => c.value as string);
  const hint = `Use a subset of: ${allowed.join(', ')} (comma-separated on the command line, a JSON array in a file), or none.`;
  const items = typeof raw === 'string' ? (raw.trim() === 'none' ? [] : raw.split(',').map((v) => v.trim())) : raw;
  if (!Array.isArray(items) || items.some((v) => typeof v !== 'string')) {
    throw new InvalidAnswerError(`${where} must be a list of names, got ${JSON.stringify(raw)}.`, hint);
  }
  for (const value of items as string[]) {
    if (!allowed.includes(value)) {
      const guess = suggest(value, allowed);
      throw new InvalidAnswerError(`${where} has the unknown value "${value}".`, `${guess ? `Did you mean ${guess}? ` : ''}${hint}`);
    }
  }
  return allowed.filter((v) => (items as string[]).includes(v));
}

function checkValue(question: Question, raw: unknown, source: AnswerSource): string | string[] {
  const where = `${source.nameOf(question.id)} in ${source.label}`;
  if (question.kind === 'multi') return checkMulti(question, raw, where);
  if (typeof raw !== 'string') {
    throw new InvalidAnswerError(`${where} must be a string, got ${JSON.stringify(raw)}.`);
  }
  if (question.kind === 'choice') {
    const allowed = question.choices.map((c) => c.value as string);
    if (!allowed.includes(raw)) {
      throw new InvalidAnswerError(
        `${where} has the unknown value "${raw}".`,
        `Use one of: ${allowed.join(', ')}.`,
      );
    }
    return raw;
  }
  if (raw.length > question.maxLength || !question.pattern.test(raw)) {
    throw new InvalidAnswerError(
      `${where} is not a valid ${question.message.toLowerCase()}: "${raw}".`,
      `Use ${question.patternHint}, at most ${question.maxLength} characters.`,
    );
  }
  return raw;
}

/**
 * Validates a record of raw answers from one source. Unknown keys and bad values are errors that
 * name the key (or flag) and the allowed values; nothing is coerced.
 */
export function validateAnswers(raw: Readonly<Record<string, unknown>>, source: AnswerSource): PartialAnswers {
  const out: Record<string, string | string[]> = {};
  for (const [id, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const question = questionById(id);
    if (!question) {
      throw new InvalidAnswerError(
        `${source.nameOf(id)} in ${source.label} is not a known question.`,
        `Known: ${QUESTIONS.map((q) => q.id).join(', ')}. \`create-backend schema\` prints them all.`,
      );
    }
    out[id] = checkValue(question, value, source);
  }
  return out as PartialAnswers;
}
