import { profileOf } from '../answers/resolve.js';
import { answersJsonSchema } from '../answers/schema.js';
import { FLAG_SOURCE, validateAnswers } from '../answers/validate.js';
import { mergeSources } from '../answers/resolve.js';
import { CancelledError } from '../errors.js';
import { runCleanups } from '../engine/cleanup.js';
import { recommend } from '../recommend/recommend.js';
import { readAnswersFile } from './answers-file.js';
import { parseCommandLine, type ParsedArgs } from './args.js';
import { formatRecommendation } from './format.js';
import { helpText } from './help.js';
import { createCommand } from './create.js';
import { reportError } from './report-error.js';

/** What the entry point hands to {@link main}. */
export interface MainOptions {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Whether stdin and stdout are a terminal; asked only when a prompt is possible at all. */
  readonly isTTY: () => Promise<boolean>;
  readonly version: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

async function recommendCommand(args: ParsedArgs, options: MainOptions): Promise<void> {
  const given = mergeSources(
    validateAnswers(args.answerFlags, FLAG_SOURCE),
    args.answersFile ? await readAnswersFile(args.answersFile) : {},
  );
  const profile = profileOf(given);
  const recommendation = recommend(profile);
  options.stdout(args.json ? `${JSON.stringify({ profile, ...recommendation }, null, 2)}\n` : formatRecommendation(recommendation));
}

async function dispatch(args: ParsedArgs, options: MainOptions): Promise<void> {
  if (args.version) return options.stdout(`${options.version}\n`);
  if (args.help) return options.stdout(helpText(args.command));
  if (args.command === 'schema') return options.stdout(`${JSON.stringify(answersJsonSchema(), null, 2)}\n`);
  if (args.command === 'recommend') return recommendCommand(args, options);
  // Prompt only on a terminal, never with --yes or --json, and never in CI: there a missing
  // answer is an error that names its flag.
  const interactive = !args.yes && !args.json && !/^(1|true)$/i.test(options.env.CI ?? '') && (await options.isTTY());
  return createCommand(args, {
    cwd: options.cwd,
    interactive,
    stdout: options.stdout,
    stderr: options.stderr,
    version: options.version,
  });
}

/** Runs the CLI and returns its exit code; never throws and never calls `process.exit`. */
export async function main(options: MainOptions): Promise<number> {
  let verbose = options.argv.includes('--verbose');
  try {
    const args = parseCommandLine(options.argv);
    verbose = args.verbose;
    await dispatch(args, options);
    return 0;
  } catch (error) {
    runCleanups();
    return reportError(error, verbose, options.stderr);
  }
}

/** Exit code and message for an interrupt signal. */
export function interrupted(write: (text: string) => void): number {
  runCleanups();
  return reportError(new CancelledError(), false, write);
}
