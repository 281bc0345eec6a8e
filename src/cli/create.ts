import { readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Answers, PartialAnswers } from '../answers/questions.js';
import { NAME_PATTERN } from '../answers/questions.js';
import { completeAnswers, mergeSources, profileOf } from '../answers/resolve.js';
import { FLAG_SOURCE, fileSource, validateAnswers } from '../answers/validate.js';
import { InvalidAnswerError, TargetDirectoryError, UserError } from '../errors.js';
import { generateProject } from '../engine/generate.js';
import { newRecipe } from '../recipe/recipe.js';
import { MANIFEST_FILE, type ProjectManifest } from '../engine/manifest.js';
import { loadTemplateBundle } from '../engine/template-loader.js';
import { listDir, planChanges, writePlan, type PlannedFile } from '../engine/write.js';
import { recommend, type Recommendation } from '../recommend/recommend.js';
import { STACKS } from '../stacks/stacks.js';
import type { Task } from '../tasks/post-write.js';
import { lazy } from '../lazy.js';
import { readAnswersFile } from './answers-file.js';
import type { ParsedArgs } from './args.js';
import { formatPlan, formatRecommendation, nextSteps } from './format.js';

/** Where output goes and whether a human can be asked. */
export interface CreateEnvironment {
  readonly cwd: string;
  readonly interactive: boolean;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly version: string;
}

/** The `--json` result of a create run. */
export interface CreateResult {
  readonly stack: Answers['stack'];
  readonly directory: string;
  readonly dryRun: boolean;
  readonly files: readonly { readonly path: string; readonly status: PlannedFile['status'] }[];
  readonly recommendation: Recommendation;
  readonly answers: Answers;
  readonly nextSteps: readonly string[];
}

function storedAnswers(dir: string): PartialAnswers {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    return validateAnswers((JSON.parse(text) as ProjectManifest).answers ?? {}, fileSource(path));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new InvalidAnswerError(`The manifest ${path} is not valid JSON.`, 'Fix or remove it.');
  }
}

/** Refuses targets we must not write into, before any question is asked. */
function checkTarget(dir: string, force: boolean): void {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (!info) return;
  if (!info.isDirectory()) throw new TargetDirectoryError(`${dir} exists and is not a directory.`, 'Choose another directory.');
  const entries = listDir(dir) ?? [];
  if (entries.length > 0 && !force) {
    throw new TargetDirectoryError(
      `The directory ${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}).`,
      'Choose a new directory, or pass --force to add the project files to it (files not ours are never deleted).',
    );
  }
}

function defaultNameFor(dir: string, explicit: string | undefined): string {
  if (explicit) return explicit;
  const base = basename(dir);
  if (NAME_PATTERN.test(base) && base.length <= 63) return base;
  throw new InvalidAnswerError(
    `The directory name "${base}" is not a valid project name.`,
    'Pass --name with lowercase letters, digits and single hyphens, starting with a letter.',
  );
}

/** `create-backend [dir]`: resolve answers, generate in memory, write once, then run the tasks. */
export async function createCommand(args: ParsedArgs, env: CreateEnvironment): Promise<void> {
  const flagAnswers = validateAnswers(args.answerFlags, FLAG_SOURCE);
  const fileAnswers = args.answersFile ? await readAnswersFile(resolve(env.cwd, args.answersFile)) : {};
  // Without a directory: ask for the name on a terminal, else the documented default.
  const dirArg =
    args.directory ?? flagAnswers.name ?? fileAnswers.name ?? (env.interactive ? await (await lazy.interactive()).askProjectName() : 'my-api');
  const dir = resolve(env.cwd, dirArg);
  checkTarget(dir, args.force);
  const given = mergeSources(flagAnswers, fileAnswers, storedAnswers(dir));
  const defaultName = defaultNameFor(dir, given.name);
  const log = (line: string): void => env.stderr(`${line}\n`);

  let answers: Answers;
  if (env.interactive) {
    const { askInteractively } = await lazy.interactive();
    answers = await askInteractively(given, { defaultName, write: env.stderr });
  } else {
    answers = completeAnswers(given, { yes: args.yes, recommendation: recommend(profileOf(given)), defaultName });
  }
  const recommendation = recommend(profileOf(answers));
  const stack = STACKS[answers.stack];
  if (stack.unavailable) throw new UserError(stack.unavailable, 'Choose node, django or flask with --stack.');

  // Templates are the bulk of the CLI: load only the shared ones and this stack's.
  const bundle = await loadTemplateBundle(['shared', answers.stack]);
  const { tree } = await generateProject(newRecipe(answers), { bundle, generatorVersion: env.version });
  const plan = planChanges(tree, dir);
  const relativeDir = relative(env.cwd, dir);
  const shownDir = relativeDir.startsWith('..') ? dir : relativeDir || '.';
  const installed = args.install && !args.dryRun;
  const result: CreateResult = {
    stack: answers.stack,
    directory: dir,
    dryRun: args.dryRun,
    files: plan.map(({ path, status }) => ({ path, status })),
    recommendation,
    answers,
    nextSteps: nextSteps(shownDir, stack.commands, installed),
  };

  if (!args.json && !env.interactive) env.stderr(formatRecommendation(recommendation));
  if (args.dryRun) {
    if (!args.json) env.stdout(`Dry run: ${plan.length} files would be written to ${shownDir} (nothing was written):\n${formatPlan(plan, args.force)}`);
    else env.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }

  await writePlan(plan, dir, args.force);
  log(`\nCreated a ${stack.label} project in ${shownDir} (${plan.length} files).`);
  if (!args.json) env.stderr(formatPlan(plan, args.force));

  if (args.install || args.git) {
    // The task runner (and execa) load only when there is a task to run.
    const { initGit, runShell, runTasks } = await lazy.tasks();
    const tasks: Task[] = [];
    if (args.install) tasks.push({ title: `Installing dependencies (${stack.commands.install})`, run: () => runShell(stack.commands.install, dir) });
    if (args.git) tasks.push({ title: 'Initialising git and making the first commit', run: () => initGit(dir, log) });
    await runTasks(tasks, log);
  }

  if (args.json) env.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else env.stdout(`\nDone. Next steps:\n${result.nextSteps.map((s) => `  ${s}`).join('\n')}\n`);
}
