import { parseArgs, type ParseArgsConfig } from 'node:util';
import { QUESTIONS } from '../answers/questions.js';
import { UsageError } from '../errors.js';
import { suggest } from '../suggest.js';

/** The sub-commands; `create` is the default. */
export const COMMANDS = ['create', 'recommend', 'schema'] as const;
/** A sub-command name. */
export type Command = (typeof COMMANDS)[number];

/** Flags that are not questions. */
const CONTROL_OPTIONS = {
  answers: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  'no-install': { type: 'boolean' },
  'no-git': { type: 'boolean' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

/** Every flag: the control flags plus one string flag per question. */
export const OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  ...CONTROL_OPTIONS,
  ...Object.fromEntries(QUESTIONS.map((q) => [q.id, { type: 'string' as const }])),
};

/** The parsed command line. */
export interface ParsedArgs {
  readonly command: Command;
  readonly directory: string | undefined;
  /** Raw question answers from flags, keyed by question id; validated later. */
  readonly answerFlags: Readonly<Record<string, string>>;
  readonly answersFile: string | undefined;
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly install: boolean;
  readonly git: boolean;
  readonly force: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

function usageErrorFrom(error: Error): UsageError {
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(error.message)?.[1];
  if (unknown) {
    const guess = suggest(unknown.replace(/^-+/, ''), Object.keys(OPTIONS));
    return new UsageError(`Unknown flag ${unknown}.`, guess ? `Did you mean --${guess}? See --help.` : 'See --help for every flag.');
  }
  const missing = /Option '(-{1,2}[^']+?)(?: <value>)?' argument missing/.exec(error.message)?.[1];
  if (missing) return new UsageError(`The flag ${missing.replace(/, .*/, '')} needs a value.`, 'See --help.');
  const typed = /Option '(-{1,2}[^']+?)' does not take an argument/.exec(error.message)?.[1];
  if (typed) return new UsageError(`The flag ${typed.replace(/^-., /, '')} does not take a value.`, 'See --help.');
  return new UsageError(error.message.split('\n')[0]!, 'See --help.');
}

/** Parses argv (without `node` and the script). Unknown flags and extra arguments are errors. */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFrom(error as Error);
  }
  const { values, positionals } = parsed;
  let command: Command = 'create';
  const rest = [...positionals];
  if (rest[0] === 'recommend' || rest[0] === 'schema') command = rest.shift() as Command;
  const maxPositionals = command === 'create' ? 1 : 0;
  if (rest.length > maxPositionals) {
    const extra = rest[maxPositionals]!;
    const guess = suggest(extra, COMMANDS);
    throw new UsageError(
      `Unexpected argument "${extra}".`,
      guess && command === 'create' && rest.length === 2
        ? `Did you mean the command "${guess}"? See --help.`
        : `create-backend ${command === 'create' ? 'takes one directory' : command + ' takes no argument'}; see --help.`,
    );
  }
  const answerFlags: Record<string, string> = {};
  for (const q of QUESTIONS) {
    const value = values[q.id];
    if (typeof value === 'string') answerFlags[q.id] = value;
  }
  const flag = (name: keyof typeof CONTROL_OPTIONS): boolean => values[name] === true;
  return {
    command,
    directory: command === 'create' ? rest[0] : undefined,
    answerFlags,
    answersFile: typeof values.answers === 'string' ? values.answers : undefined,
    yes: flag('yes'),
    dryRun: flag('dry-run'),
    install: !flag('no-install'),
    git: !flag('no-git'),
    force: flag('force'),
    json: flag('json'),
    verbose: flag('verbose'),
    help: flag('help'),
    version: flag('version'),
  };
}
