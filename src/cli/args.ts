import { parseArgs, type ParseArgsConfig } from 'node:util';
import { QUESTIONS } from '../answers/questions.js';
import { UsageError } from '../errors.js';
import { suggest } from '../suggest.js';

/** The sub-commands; `create` is the default. Their names are never taken for a directory. */
export const COMMANDS = ['create', 'add', 'generate', 'update', 'recommend', 'schema'] as const;
/** A sub-command name. */
export type Command = (typeof COMMANDS)[number];
/** Short names of commands. */
const ALIASES: Readonly<Record<string, Command>> = { g: 'generate' };

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
  dir: { type: 'string' },
  fields: { type: 'string' },
  'allow-dirty': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];
type ControlFlag = keyof typeof CONTROL_OPTIONS;

/** Every flag: the control flags plus one string flag per question. */
export const OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  ...CONTROL_OPTIONS,
  ...Object.fromEntries(QUESTIONS.map((q) => [q.id, { type: 'string' as const }])),
};

const QUESTION_FLAGS = QUESTIONS.map((q) => q.id);
const COMMON: readonly string[] = ['help', 'version', 'verbose', 'json'];
/** Which flags each command takes, and how many positional arguments. */
const COMMAND_TABLE: Readonly<Record<Command, { readonly flags: readonly string[]; readonly positionals: readonly [min: number, max: number]; readonly usage: string }>> = {
  create: { flags: [...COMMON, ...QUESTION_FLAGS, 'answers', 'yes', 'dry-run', 'no-install', 'no-git', 'force'], positionals: [0, 1], usage: 'create-backend [dir] [flags]' },
  add: { flags: [...COMMON, 'dir', 'dry-run'], positionals: [1, 3], usage: 'create-backend add <feature…> [--dir <path>] [--dry-run]' },
  generate: { flags: [...COMMON, 'dir', 'dry-run', 'fields'], positionals: [2, 2], usage: 'create-backend generate resource <Name> --fields "<spec>"' },
  update: { flags: [...COMMON, 'dir', 'dry-run', 'allow-dirty'], positionals: [0, 0], usage: 'create-backend update [--dir <path>] [--dry-run] [--allow-dirty]' },
  recommend: { flags: [...COMMON, ...QUESTION_FLAGS.filter((q) => !['stack', 'db', 'name', 'features'].includes(q)), 'answers'], positionals: [0, 0], usage: 'create-backend recommend [flags]' },
  schema: { flags: [...COMMON], positionals: [0, 0], usage: 'create-backend schema' },
};

/** The parsed command line. */
export interface ParsedArgs {
  readonly command: Command;
  /** Positional arguments after the command name (for `create`: the directory). */
  readonly positionals: readonly string[];
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
  /** `--dir`: the project `add`, `generate` and `update` work on (default: the working directory). */
  readonly projectDir: string | undefined;
  readonly fields: string | undefined;
  readonly allowDirty: boolean;
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

function commandOf(positionals: string[]): Command {
  const first = positionals[0];
  if (first === undefined) return 'create';
  const command = ALIASES[first] ?? (COMMANDS as readonly string[]).find((c) => c === first);
  if (!command) return 'create';
  positionals.shift();
  return command as Command;
}

/** Parses argv (without `node` and the script). Unknown flags and extra arguments are errors. */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFrom(error as Error);
  }
  const { values } = parsed;
  const rest = [...parsed.positionals];
  const command = commandOf(rest);
  const spec = COMMAND_TABLE[command];
  const help = values.help === true;
  for (const flag of Object.keys(values)) {
    if (!spec.flags.includes(flag)) {
      throw new UsageError(`The flag --${flag} does not apply to \`create-backend ${command}\`.`, `Usage: ${spec.usage}; see create-backend ${command === 'create' ? '' : `${command} `}--help.`);
    }
  }
  if (!help && (rest.length < spec.positionals[0] || rest.length > spec.positionals[1])) {
    const extra = rest[spec.positionals[1]];
    const guess = extra === undefined ? undefined : suggest(extra, COMMANDS);
    const message = extra === undefined ? `\`create-backend ${command}\` needs more arguments.` : `Unexpected argument "${extra}".`;
    throw new UsageError(message, guess && command === 'create' && rest.length === 2 ? `Did you mean the command "${guess}"? See --help.` : `Usage: ${spec.usage}`);
  }
  const answerFlags: Record<string, string> = {};
  for (const q of QUESTIONS) {
    const value = values[q.id];
    if (typeof value === 'string') answerFlags[q.id] = value;
  }
  const flag = (name: ControlFlag): boolean => values[name] === true;
  const text = (name: ControlFlag): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  return {
    command,
    positionals: rest,
    directory: command === 'create' ? rest[0] : undefined,
    answerFlags,
    answersFile: text('answers'),
    yes: flag('yes'),
    dryRun: flag('dry-run'),
    install: !flag('no-install'),
    git: !flag('no-git'),
    force: flag('force'),
    json: flag('json'),
    verbose: flag('verbose'),
    help,
    version: flag('version'),
    projectDir: text('dir'),
    fields: text('fields'),
    allowDirty: flag('allow-dirty'),
  };
}
