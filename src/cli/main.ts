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
import { lazy } from '../lazy.js';
import type { TemplateBundle } from '../engine/template-bundle.js';
import type { UpdateMigration } from '../project/migrations.js';

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
  /** Test seams: a changed template bundle and update migrations, to run a "next version" in process. */
  readonly loadBundle?: (groups: readonly string[]) => Promise<TemplateBundle>;
  readonly migrations?: readonly UpdateMigration[];
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

/** Runs one command; returns its exit code (0, or 2 when conflicts remain). */
async function dispatch(args: ParsedArgs, options: MainOptions): Promise<number> {
  const done = (text: string): number => {
    options.stdout(text);
    return 0;
  };
  if (args.version) return done(`${options.version}\n`);
  if (args.help) return done(helpText(args.command));
  if (args.command === 'schema') return done(`${JSON.stringify(answersJsonSchema(), null, 2)}\n`);
  if (args.command === 'recommend') {
    await recommendCommand(args, options);
    return 0;
  }
  const projectEnv = { cwd: options.cwd, version: options.version, stdout: options.stdout, stderr: options.stderr, ...(options.loadBundle ? { loadBundle: options.loadBundle } : {}) };
  if (args.command === 'add' || args.command === 'generate' || args.command === 'update') {
    const { addCommand, generateCommand, updateCommand } = await lazy.projectCommands();
    if (args.command === 'add') return addCommand(args, projectEnv);
    if (args.command === 'generate') return generateCommand(args, projectEnv);
    return updateCommand(args, { ...projectEnv, ...(options.migrations ? { migrations: options.migrations } : {}) });
  }
  // Prompt only on a terminal, never with --yes or --json, and never in CI: there a missing
  // answer is an error that names its flag.
  const interactive = !args.yes && !args.json && !/^(1|true)$/i.test(options.env.CI ?? '') && (await options.isTTY());
  return createCommand(args, {
    cwd: options.cwd,
    interactive,
    stdout: options.stdout,
    stderr: options.stderr,
    version: options.version,
    ...(options.loadBundle ? { loadBundle: options.loadBundle } : {}),
  });
}

/** Runs the CLI and returns its exit code; never throws and never calls `process.exit`. */
export async function main(options: MainOptions): Promise<number> {
  let verbose = options.argv.includes('--verbose');
  // Known before parsing, so a bad flag next to --json is reported as JSON too.
  const json = options.argv.includes('--json');
  try {
    const args = parseCommandLine(options.argv);
    verbose = args.verbose;
    return await dispatch(args, options);
  } catch (error) {
    runCleanups();
    return reportError(error, verbose, options.stderr, json ? options.stdout : undefined);
  }
}

/** Exit code and message for an interrupt signal. */
export function interrupted(write: (text: string) => void): number {
  runCleanups();
  return reportError(new CancelledError(), false, write);
}
