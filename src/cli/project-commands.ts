import { ProjectError, UsageError } from '../errors.js';
import { loadTemplateBundle } from '../engine/template-loader.js';
import type { TemplateBundle } from '../engine/template-bundle.js';
import { changedCount, planChange, writeChange, type PlannedChange } from '../project/apply.js';
import { projectDirFor, readProject, type ProjectState } from '../project/manifest-file.js';
import { recoverBase } from '../project/recover-base.js';
import { compareVersions } from '../project/version.js';
import { withFeatures, withResource, type Recipe } from '../recipe/recipe.js';
import { checkResourceName, formatFields, parseFields, sameResource } from '../resources/spec.js';
import { resourceNames } from '../resources/naming.js';
import { FEATURE_IDS, FEATURES, type Feature } from '../stacks/features.js';
import { commandsFor, usesUv } from '../stacks/stacks.js';
import { suggest } from '../suggest.js';
import type { ParsedArgs } from './args.js';
import { stepsAfterChange } from './format.js';
import { reportChange, type Output } from './report-change.js';

/** What the project commands need from the CLI. */
export interface ProjectCommandEnvironment extends Output {
  readonly cwd: string;
  readonly version: string;
  /** Loads the templates; injectable so tests can run a changed generator in process. */
  readonly loadBundle?: (groups: readonly string[]) => Promise<TemplateBundle>;
}

/** The project a command works on: `--dir`, or the working directory. */
function openProject(args: ParsedArgs, env: ProjectCommandEnvironment): ProjectState {
  return readProject(projectDirFor(env.cwd, args.projectDir), env.version);
}

/** `add` and `generate` change a recipe made by this very version; an older project updates first. */
function requireCurrentVersion(project: ProjectState, env: ProjectCommandEnvironment): void {
  if (compareVersions(project.manifest.generator.version, env.version) < 0) {
    throw new ProjectError(
      `This project was made by create-backend ${project.manifest.generator.version}; this is ${env.version}.`,
      'Run `create-backend update` first (it merges the newer templates into your files), commit, then run this again.',
    );
  }
}

/** Plans a recipe change on a project, then prints it, or writes it and prints it. */
async function changeProject(project: ProjectState, recipe: Recipe, args: ParsedArgs, env: ProjectCommandEnvironment, describe: { command: string; message: string; headline: string }): Promise<number> {
  const load = env.loadBundle ?? loadTemplateBundle;
  const bundle = await load(['shared', recipe.answers.stack]);
  const { base } = await recoverBase(project, { bundle, generatorVersion: env.version });
  // The project keeps the installer its manifest records.
  const commands = commandsFor(recipe.answers.stack, usesUv(project.manifest.commands));
  const change: PlannedChange = await planChange({ dir: project.dir, recipe, base, bundle, generatorVersion: env.version, createEnv: false, commands });
  const written = changedCount(change.plan);
  const nothing = written === 0;
  if (!args.dryRun && !nothing) await writeChange(change, { message: describe.message, stageConflicts: false });
  const headline = nothing ? `${describe.headline}: nothing to change.` : args.dryRun ? `Dry run: ${describe.headline} would change ${written} file(s) (nothing was written):` : `${describe.headline}: ${written} file(s) changed.`;
  const steps = nothing || args.dryRun ? [] : stepsAfterChange(change.generated.manifest.commands);
  return reportChange(change, { command: describe.command, dryRun: args.dryRun, json: args.json, headline, nextSteps: steps }, env);
}

/** `create-backend add <feature…>`: adds optional features to a project. */
export async function addCommand(args: ParsedArgs, env: ProjectCommandEnvironment): Promise<number> {
  const features = args.positionals.map((name): Feature => {
    if ((FEATURE_IDS as readonly string[]).includes(name)) return name as Feature;
    const guess = suggest(name, FEATURE_IDS);
    throw new UsageError(`Unknown feature "${name}".`, `${guess ? `Did you mean ${guess}? ` : ''}Features: ${FEATURE_IDS.map((f) => `${f} (${FEATURES[f].summary})`).join('; ')}.`);
  });
  const project = openProject(args, env);
  requireCurrentVersion(project, env);
  const recipe = withFeatures(project.recipe, features);
  // A feature brings the ones it requires (kubernetes: docker); say so rather than surprise.
  const implied = recipe.answers.features.filter((f) => !features.includes(f) && !project.recipe.answers.features.includes(f));
  const also = implied.length > 0 ? ` (and ${implied.join(', ')}, which it requires)` : '';
  return changeProject(project, recipe, args, env, { command: 'add', message: `create-backend ${env.version}: add ${features.join(', ')}${also}`, headline: `add ${features.join(' ')}${also}` });
}

/** `create-backend generate resource <Name> --fields "<spec>"`: adds a resource like `notes`. */
export async function generateCommand(args: ParsedArgs, env: ProjectCommandEnvironment): Promise<number> {
  const [kind = '', name = ''] = args.positionals;
  if (kind !== 'resource') throw new UsageError(`Cannot generate "${kind}": only resources can be generated.`, 'Usage: create-backend generate resource <Name> --fields "title:string(40),done:boolean"');
  checkResourceName(name);
  if (args.fields === undefined) throw new UsageError(`The resource ${name} needs its fields.`, 'Pass --fields, e.g. --fields "title:string(40),done:boolean,due:date?".');
  const resource = { name, fields: parseFields(args.fields) };
  const project = openProject(args, env);
  requireCurrentVersion(project, env);
  const names = resourceNames(name);
  const same = project.recipe.resources.find((r) => r.name === name || resourceNames(r.name).snakePlural === names.snakePlural);
  let recipe = project.recipe;
  if (same && !sameResource(same, resource)) {
    throw new UsageError(
      `The project already has the resource ${same.name} with other fields (${formatFields(same.fields)}).`,
      'Choose another name; changing an existing resource is an edit of its files and a new migration.',
    );
  }
  if (!same) recipe = withResource(project.recipe, resource);
  return changeProject(project, recipe, args, env, { command: 'generate', message: `create-backend ${env.version}: generate resource ${name}`, headline: `generate resource ${name}` });
}
