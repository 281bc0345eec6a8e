import { join } from 'node:path';
import { ProjectError } from '../errors.js';
import type { PlannedFile } from '../engine/plan.js';
import { loadTemplateBundle } from '../engine/template-loader.js';
import { readIfExists } from '../engine/write.js';
import { changedCount, planChange, writeChange } from '../project/apply.js';
import { lazy } from '../lazy.js';
import { projectDirFor, readProject } from '../project/manifest-file.js';
import { completeMoves, migratedView, migrationsBetween, MIGRATIONS, type UpdateMigration } from '../project/migrations.js';
import { recoverBase } from '../project/recover-base.js';
import { commandsFor, usesUv } from '../stacks/stacks.js';
import type { ParsedArgs } from './args.js';
import { stepsAfterChange } from './format.js';
import type { ProjectCommandEnvironment } from './project-commands.js';
import { reportChange } from './report-change.js';

/** What `update` needs besides the other project commands' environment. */
export interface UpdateEnvironment extends ProjectCommandEnvironment {
  /** Injectable so tests can exercise a migration. */
  readonly migrations?: readonly UpdateMigration[];
}

/**
 * `create-backend update`: renders the project's recorded recipe with this version (theirs),
 * recovers the pristine render that made it (base), merges both into the working tree (ours),
 * writes once and records the new base. No install, no network: it prints what to run next.
 */
export async function updateCommand(args: ParsedArgs, env: UpdateEnvironment): Promise<number> {
  const dir = projectDirFor(env.cwd, args.projectDir);
  const project = readProject(dir, env.version);
  const { findRepository, isDirty } = await lazy.git();
  const repo = findRepository(dir);
  if (repo && !args.allowDirty && !args.dryRun && isDirty(repo, dir)) {
    throw new ProjectError(`${dir} has uncommitted changes.`, 'Commit or stash them first, so the update is one reviewable change (or pass --allow-dirty).');
  }
  const bundle = await (env.loadBundle ?? loadTemplateBundle)(['shared', project.recipe.answers.stack]);
  const recovered = await recoverBase(project, { bundle, generatorVersion: env.version });
  if (recovered.origin === 'hashes' && Object.keys(project.manifest.files).length === 0) {
    throw new ProjectError('The project has no recorded base and its manifest lists no file hashes: nothing tells its edits apart from the templates.', 'Restore .create-backend.json from version control.');
  }
  const from = project.manifest.generator.version;
  const migrations = migrationsBetween(from, env.version, env.migrations ?? MIGRATIONS);
  const view = migratedView(migrations, (path) => readIfExists(join(dir, path)), recovered.base);
  // A Python project keeps its installer: one made before uv.lock existed records pip, which
  // still works (requirements-dev.txt is exported from the lock).
  const commands = commandsFor(project.recipe.answers.stack, usesUv(project.manifest.commands));
  const change = await planChange({ dir, recipe: project.recipe, base: view.base, readOurs: view.readOurs, bundle, generatorVersion: env.version, createEnv: false, commands });
  const plan: PlannedFile[] = completeMoves(change.plan, view);
  const planned = { ...change, plan };
  const changed = changedCount(plan);
  const nothing = changed === 0;
  if (!args.dryRun && !nothing) await writeChange(planned, { message: `create-backend ${env.version}: update from ${from}`, stageConflicts: true });
  const headline = nothing
    ? `update: the project is up to date with create-backend ${env.version}.`
    : `${args.dryRun ? 'Dry run: ' : ''}update ${from} → ${env.version} (base from ${recovered.origin}): ${changed} file(s) ${args.dryRun ? 'would change (nothing was written)' : 'changed'}.`;
  const steps = nothing || args.dryRun ? [] : stepsAfterChange(change.generated.manifest.commands);
  const notices = migrations.flatMap((m) => m.notices?.[project.recipe.answers.stack] ?? []);
  return reportChange(planned, { command: 'update', dryRun: args.dryRun, json: args.json, headline, nextSteps: steps, notices, extra: { from, to: env.version, base: recovered.origin, migrations: migrations.map((m) => m.description), notices } }, env);
}
