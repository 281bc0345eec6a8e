import { join } from 'node:path';
import type { BaseSource } from '../engine/base.js';
import { generateProject, type GeneratedProject } from '../engine/generate.js';
import type { MergeLabels } from '../engine/merge3-text.js';
import { planMerge, WRITES, type FileStatus, type PlannedFile } from '../engine/plan.js';
import type { TemplateBundle } from '../engine/template-bundle.js';
import { listDir, readIfExists, writePlan } from '../engine/write.js';
import type { Recipe } from '../recipe/recipe.js';
import type { ProjectCommands } from '../stacks/stacks.js';
import { lazy } from '../lazy.js';
import { buildManifest, MANIFEST_FILE, manifestText } from '../engine/manifest.js';

/** One change to a project: the new recipe, merged over the base into what is on disk. */
export interface ChangeRequest {
  readonly dir: string;
  /** The recipe after the change (theirs). */
  readonly recipe: Recipe;
  /** The pristine render before the change. */
  readonly base: BaseSource;
  readonly bundle: TemplateBundle;
  readonly generatorVersion: string;
  /** Only a new project gets a `.env`. */
  readonly createEnv: boolean;
  /** Injectable for deterministic tests. */
  readonly randomSecret?: () => string;
  /** How to read the user's files; by default from `dir` (`update` reads through its migrations). */
  readonly readOurs?: (path: string) => Buffer | undefined;
  /** The commands the manifest records (a Python project's installer); by default the stack's. */
  readonly commands?: ProjectCommands;
}

/** A planned change: the new render and what it does to every file. */
export interface PlannedChange {
  readonly dir: string;
  readonly generated: GeneratedProject;
  readonly plan: readonly PlannedFile[];
}

/** How conflict markers name the two sides. */
export function labelsFor(generatorVersion: string): MergeLabels {
  return { ours: 'yours', theirs: `create-backend ${generatorVersion}` };
}

/** Renders the new recipe and plans it against the base and the disk. Writes nothing. */
export async function planChange(request: ChangeRequest): Promise<PlannedChange> {
  const rendered = await generateProject(request.recipe, {
    bundle: request.bundle,
    generatorVersion: request.generatorVersion,
    ...(request.randomSecret ? { randomSecret: request.randomSecret } : {}),
  });
  const generated = request.commands ? withCommands(rendered, request.commands, request) : rendered;
  // A directory that does not exist yet has nothing to read: skip a failed read per file.
  const exists = listDir(request.dir) !== undefined;
  const plan = await planMerge({
    theirs: generated.tree,
    base: request.base,
    readOurs: request.readOurs ?? (exists ? (path) => readIfExists(join(request.dir, path)) : () => undefined),
    labels: labelsFor(request.generatorVersion),
    createEnv: request.createEnv,
  });
  return { dir: request.dir, generated, plan };
}

/** The generated project with other commands in its manifest (the render is the same). */
function withCommands(project: GeneratedProject, commands: ProjectCommands, request: ChangeRequest): GeneratedProject {
  const manifest = buildManifest(project.pristine, request.recipe, { generatorVersion: request.generatorVersion, commands });
  const tree = project.tree.clone();
  tree.write(MANIFEST_FILE, manifestText(manifest));
  return { ...project, tree, manifest };
}

/**
 * Writes a planned change (the one write), then, where the project is in a git repository,
 * records its new pristine render as the base of the next change and (with `stageConflicts`)
 * puts conflicted files in the index as a merge would. Returns whether the base was recorded.
 */
export async function writeChange(change: PlannedChange, options: { readonly message: string; readonly stageConflicts: boolean }): Promise<boolean> {
  await writePlan(change.plan, change.dir);
  return await recordBase(change, options);
}

/** Records the base (and conflicts) of a written change in the project's git repository, if any. */
export async function recordBase(change: PlannedChange, options: { readonly message: string; readonly stageConflicts: boolean }): Promise<boolean> {
  const { findRepository, recordConflicts, storeBase } = await lazy.git();
  const repo = findRepository(change.dir);
  if (!repo) return false;
  const stored = storeBase(repo, change.generated.pristine, options.message);
  if (options.stageConflicts) {
    recordConflicts(
      repo,
      conflictsOf(change.plan).flatMap((f) => (f.stages ? [{ path: f.path, ...f.stages, mode: f.file?.mode ?? 0o644 }] : [])),
    );
  }
  return stored;
}

/** Files with conflict markers left to resolve. */
export function conflictsOf(plan: readonly PlannedFile[]): PlannedFile[] {
  return plan.filter((f) => f.status === 'conflict');
}

/** How many files the change writes or deletes. */
export function changedCount(plan: readonly PlannedFile[]): number {
  return plan.filter((f) => WRITES.has(f.status) || f.status === 'delete').length;
}

/** Counts per status, in a fixed order, for summaries. */
export function countStatuses(plan: readonly PlannedFile[]): Partial<Record<FileStatus, number>> {
  const order: FileStatus[] = ['create', 'update', 'merged', 'conflict', 'delete', 'kept', 'skip', 'identical'];
  const counts: Partial<Record<FileStatus, number>> = {};
  for (const status of order) {
    const n = plan.filter((f) => f.status === status).length;
    if (n > 0) counts[status] = n;
  }
  return counts;
}

/** The `--json` view of a plan: every file with its status, and conflicts with their line ranges. */
export function planJson(plan: readonly PlannedFile[]): { path: string; status: FileStatus; conflicts?: readonly { start: number; end: number }[]; note?: string }[] {
  return plan.map((f) => ({
    path: f.path,
    status: f.status,
    ...(f.conflicts && f.conflicts.length > 0 ? { conflicts: f.conflicts } : {}),
    ...(f.note ? { note: f.note } : {}),
  }));
}
