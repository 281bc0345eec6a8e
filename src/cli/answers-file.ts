import { fileSource, validateAnswers } from '../answers/validate.js';
import type { PartialAnswers } from '../answers/questions.js';
import { InvalidAnswerError } from '../errors.js';

/** Keys a JSON answers file may carry besides the questions. */
const IGNORED_KEYS = new Set(['$schema']);

/** Reads and validates an answers file; every problem is an error naming the file. */
export async function readAnswersFile(path: string): Promise<PartialAnswers> {
  let text: string;
  try {
    // Asynchronous, so that Ctrl-C still works while the path is, say, a FIFO nobody writes to.
    const { readFile } = await import('node:fs/promises');
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidAnswerError(`Cannot read the answers file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`, 'Check the path given to --answers.');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidAnswerError(`The answers file ${path} is not valid JSON: ${(error as Error).message}.`, '`create-backend schema` prints the expected format.');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidAnswerError(`The answers file ${path} must hold a JSON object of answers.`, '`create-backend schema` prints the expected format.');
  }
  const answers = Object.fromEntries(Object.entries(data).filter(([key]) => !IGNORED_KEYS.has(key)));
  return validateAnswers(answers, fileSource(path));
}
