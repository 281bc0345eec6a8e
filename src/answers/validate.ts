import { InvalidAnswerError } from '../errors.js';
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

function checkValue(question: Question, raw: unknown, source: AnswerSource): string {
  const where = `${source.nameOf(question.id)} in ${source.label}`;
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
  const out: Record<string, string> = {};
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
