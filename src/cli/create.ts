import { readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Answers, PartialAnswers } from '../answers/questions.js';
import { NAME_PATTERN } from '../answers/questions.js';
import { completeAnswers, mergeSources, profileOf } from '../answers/resolve.js';
import { FLAG_SOURCE, validateAnswers } from '../answers/validate.js';
import { InvalidAnswerError, TargetDirectoryError, UserError } from '../errors.js';
import { emptyBase } from '../engine/base.js';
import { MANIFEST_FILE } from '../engine/manifest.js';
import { WRITES } from '../engine/plan.js';
import { loadTemplateBundle } from '../engine/template-loader.js';
import type { TemplateBundle } from '../engine/template-bundle.js';
import { listDir, writePlan } from '../engine/write.js';
import { planChange, recordBase } from '../project/apply.js';
import { readProject, type ProjectState } from '../project/manifest-file.js';
import { recoverBase } from '../project/recover-base.js';
import { newRecipe, type Recipe } from '../recipe/recipe.js';
import { recommend, type Recommendation } from '../recommend/recommend.js';
import { ADMIN_STACKS } from '../stacks/features.js';
import { nodeCommands } from '../stacks/package-manager.js';
import { availableStacks, commandsFor, STACKS, usesUv } from '../stacks/stacks.js';
import { onPath } from '../tasks/on-path.js';
import type { Task } from '../tasks/post-write.js';
import { lazy } from '../lazy.js';
import { readAnswersFile } from './answers-file.js';
import type { ParsedArgs } from './args.js';
import { formatChoice, formatPick, nextSteps } from './format.js';
import { EXIT_TOOLCHAIN, reportChange } from './report-change.js';

/** Where output goes and whether a human can be asked. */
export interface CreateEnvironment {
  readonly cwd: string;
  readonly interactive: boolean;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly version: string;
  /** Loads the templates; injectable so tests can run a changed generator in process. */
  readonly loadBundle?: (groups: readonly string[]) => Promise<TemplateBundle>;
}

/** The project already in the target directory (only with --force), read from its manifest. */
function existingProject(dir: string, version: string): ProjectState | undefined {
  return statSync(join(dir, MANIFEST_FILE), { throwIfNoEntry: false }) ? readProject(dir, version) : undefined;
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

/**
 * `create-backend [dir]`: resolve answers, render in memory, plan against the directory (empty,
 * or with --force merged three ways like any other change), write once, then run the tasks.
 * Returns the exit code: 0, or 2 when conflict markers were written.
 */
export async function createCommand(args: ParsedArgs, env: CreateEnvironment): Promise<number> {
  const flagAnswers = validateAnswers(args.answerFlags, FLAG_SOURCE);
  const fileAnswers = args.answersFile ? await readAnswersFile(resolve(env.cwd, args.answersFile)) : {};
  // Without a directory: ask for the name on a terminal, else the documented default.
  const dirArg =
    args.directory ?? flagAnswers.name ?? fileAnswers.name ?? (env.interactive ? await (await lazy.interactive()).askProjectName() : 'my-api');
  const dir = resolve(env.cwd, dirArg);
  checkTarget(dir, args.force);
  const existing = existingProject(dir, env.version);
  const given = mergeSources(flagAnswers, fileAnswers, existing?.recipe.answers ?? {});
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
  if (stack.unavailable) throw new UserError(stack.unavailable, `Choose ${availableStacks()} with --stack.`);

  // Templates are the bulk of the CLI: load only the shared ones and this stack's.
  const bundle = await (env.loadBundle ?? loadTemplateBundle)(['shared', answers.stack]);
  // Re-creating a project keeps the resources it has: they are part of what it is.
  const recipe: Recipe = { ...newRecipe(answers), ...(existing && existing.recipe.answers.stack === answers.stack ? { resources: existing.recipe.resources } : {}) };
  const base = existing ? (await recoverBase(existing, { bundle, generatorVersion: env.version })).base : emptyBase;
  // A Python project installs with uv when this machine has it, else with pip; the manifest
  // records which, so later commands and CI drive the project the same way.
  const commands = answers.stack === 'node' ? nodeCommands(answers['package-manager'] ?? 'npm') : commandsFor(answers.stack, onPath('uv'));
  const change = await planChange({ dir, recipe, base, bundle, generatorVersion: env.version, createEnv: true, commands });
  const relativeDir = relative(env.cwd, dir);
  const shownDir = relativeDir.startsWith('..') ? dir : relativeDir || '.';
  const written = change.plan.filter((f) => WRITES.has(f.status)).length;

  // Without a terminal, one line: the chosen stack and whether the answers point elsewhere, or
  // the picked stack and why (the terminal flow has shown the ranking already).
  if (!args.json && !env.interactive) env.stderr(given.stack ? formatChoice(answers.stack, recommendation) : formatPick(answers.stack, recommendation));
  // `admin` also weighs in the recommendation, so a project on another stack is made without one
  // rather than refused (the answer is kept in the manifest all the same).
  if (!args.json && answers.admin === 'yes' && !ADMIN_STACKS.includes(answers.stack)) {
    log(`Note: --admin yes mounts the Django admin in Django projects only; this ${stack.label} project has no admin back-office.`);
  }
  if (args.dryRun) {
    const headline = `Dry run: ${written} files would be written to ${shownDir} (nothing was written):`;
    return reportChange(change, { command: 'create', dryRun: true, json: args.json, headline, nextSteps: nextSteps(shownDir, commands, false), extra: { stack: answers.stack, recommendation, answers } }, env);
  }

  await writePlan(change.plan, dir);
  if (!args.json) log(`\nCreated a ${stack.label} project in ${shownDir} (${written} files written).`);

  let toolchainProblem: string | undefined;
  if (args.install || args.git) {
    // The task runner (and execa) load only when there is a task to run.
    const { checkToolchain, initGit, runShell, runTasks } = await lazy.tasks();
    // A missing or old toolchain is no reason to lose the project: it is written, the install is
    // skipped, and the user is told what to get.
    const toolchain = args.install ? await checkToolchain(answers.stack, usesUv(commands), answers['package-manager']) : undefined;
    if (toolchain && !toolchain.ok) {
      toolchainProblem = toolchain.problem;
      log(`\nNot installing dependencies. ${toolchain.problem}`);
    }
    const tasks: Task[] = [];
    if (toolchain?.ok) tasks.push({ title: `Installing dependencies with ${toolchain.found} (${commands.install})`, run: () => runShell(commands.install, dir) });
    if (args.git) {
      tasks.push({
        title: 'Initialising git and making the first commit',
        run: async () => {
          await initGit(dir, log);
          await recordBase(change, { message: `create-backend ${env.version}: ${answers.stack} project`, stageConflicts: true });
        },
      });
    }
    await runTasks(tasks, log);
  }
  const code = reportChange(
    change,
    {
      command: 'create',
      dryRun: false,
      json: args.json,
      headline: 'Files:',
      nextSteps: nextSteps(shownDir, commands, args.install && toolchainProblem === undefined),
      extra: { stack: answers.stack, recommendation, answers, ...(toolchainProblem ? { toolchain: { ok: false, problem: toolchainProblem } } : {}) },
    },
    env,
  );
  return code === 0 && toolchainProblem ? EXIT_TOOLCHAIN : code;
}
