import type { BaseSource } from './base.js';
import { envKeyOf } from './deep-merge.js';
import { MANIFEST_FILE } from './manifest.js';
import { lazy } from '../lazy.js';
import type { LineRange, MergeLabels } from './merge3-text.js';
import type { Tree, TreeFile } from './tree.js';

/**
 * What a command does to one file:
 * - `create`: new file; `update`: the user never touched it, the template's new version replaces it;
 * - `identical`: already what the template says; `kept`: the user changed it and the template did not;
 * - `merged`: both changed it, and the changes merged cleanly;
 * - `conflict`: both changed the same lines: written with conflict markers, nothing lost;
 * - `skip`: the user deleted it (it stays deleted), or a local file we never rewrite (`.env`);
 * - `delete`: the template dropped a file the user never touched.
 */
export type FileStatus = 'create' | 'update' | 'identical' | 'kept' | 'merged' | 'conflict' | 'skip' | 'delete';

/** One file of the change list. */
export interface PlannedFile {
  readonly path: string;
  readonly status: FileStatus;
  /** What to write, for `create`, `update`, `merged` and `conflict`. */
  readonly file?: TreeFile;
  /** Where the conflict blocks are in the written file. */
  readonly conflicts?: readonly LineRange[];
  /** The three versions of a conflicted file, for the git index (base absent when unknown). */
  readonly stages?: { readonly base?: Buffer; readonly ours: Buffer; readonly theirs: Buffer };
  /** Why, when the status alone does not say (e.g. "deleted by you"). */
  readonly note?: string;
}

/** Statuses that write the file. */
export const WRITES: ReadonlySet<FileStatus> = new Set(['create', 'update', 'merged', 'conflict']);

/** The inputs of the three-way planner (DESIGN §5). */
export interface PlanInput {
  /** The new render: every file the templates emit now, plus `.env` and the manifest. */
  readonly theirs: Tree;
  /** The pristine render the project was made from. */
  readonly base: BaseSource;
  /** The project as it is on disk. */
  readonly readOurs: (path: string) => Buffer | undefined;
  readonly labels: MergeLabels;
  /** Whether a missing `.env` is created (only a new project gets one). */
  readonly createEnv: boolean;
}

const isText = (content: Buffer): boolean => !content.includes(0) && Buffer.from(content.toString('utf8'), 'utf8').equals(content);

/** `.env` holds the user's secrets: never rewritten; keys it lacks are appended with their comments. */
function planDotEnv(theirs: TreeFile, ours: Buffer | undefined, createEnv: boolean): PlannedFile {
  const path = '.env';
  if (ours === undefined) return createEnv ? { path, status: 'create', file: theirs } : { path, status: 'skip', note: 'no local .env' };
  const text = ours.toString('utf8');
  const has = new Set(text.split('\n').map(envKeyOf).filter(Boolean));
  const added: string[] = [];
  let pending: string[] = [];
  for (const line of theirs.content.toString('utf8').split('\n')) {
    const key = envKeyOf(line);
    if (!key) pending.push(line);
    else {
      if (!has.has(key)) added.push(...pending.filter((p) => p.trim() !== ''), line);
      pending = [];
    }
  }
  if (added.length === 0) return { path, status: 'kept', note: 'never rewritten' };
  const content = Buffer.from(`${text.replace(/\n*$/, '\n')}\n${added.join('\n')}\n`, 'utf8');
  return { path, status: 'merged', file: { content, mode: 0o600 }, note: `added ${added.filter((l) => !l.startsWith('#')).length} new key(s)` };
}

async function planFile(path: string, input: PlanInput): Promise<PlannedFile | undefined> {
  const theirs = input.theirs.get(path);
  const ours = input.readOurs(path);
  if (path === '.env' && theirs) return planDotEnv(theirs, ours, input.createEnv);
  if (path === MANIFEST_FILE && theirs) {
    if (ours?.equals(theirs.content)) return { path, status: 'identical' };
    return { path, status: ours === undefined ? 'create' : 'update', file: theirs };
  }
  const base = input.base.get(path);
  if (!theirs) {
    // The template no longer has this file.
    if (ours === undefined) return undefined;
    if (base.kind === 'known' && base.content.equals(ours)) return { path, status: 'delete' };
    return { path, status: 'kept', note: 'no longer generated; you changed it, so it stays' };
  }
  if (ours === undefined) return base.kind === 'absent' ? { path, status: 'create', file: theirs } : { path, status: 'skip', note: 'deleted by you; stays deleted' };
  if (ours.equals(theirs.content)) return { path, status: 'identical' };
  if (base.kind === 'known' && base.content.equals(ours)) return { path, status: 'update', file: theirs };
  if (base.kind === 'known' && base.content.equals(theirs.content)) return { path, status: 'kept' };
  const baseContent = base.kind === 'known' ? base.content : undefined;
  if (!isText(ours) || !isText(theirs.content)) {
    return { path, status: 'conflict', conflicts: [], note: 'binary file changed on both sides; yours is kept', stages: { base: baseContent, ours, theirs: theirs.content } };
  }
  const { mergeFile } = await lazy.merge3();
  const outcome = await mergeFile(path, baseContent?.toString('utf8'), ours.toString('utf8'), theirs.content.toString('utf8'), input.labels);
  const file: TreeFile = { content: Buffer.from(outcome.text, 'utf8'), mode: theirs.mode };
  if (outcome.conflicts.length === 0) return { path, status: 'merged', file };
  return { path, status: 'conflict', file, conflicts: outcome.conflicts, stages: { base: baseContent, ours, theirs: theirs.content } };
}

/**
 * The one planner behind `create`, `add`, `generate` and `update`: for every path of the new
 * render and of the base, decides from base, ours and theirs what happens, merging three ways
 * where both sides changed. Nothing is written here.
 */
export async function planMerge(input: PlanInput): Promise<PlannedFile[]> {
  const paths = [...new Set([...input.theirs.paths(), ...input.base.paths()])].sort();
  const planned: PlannedFile[] = [];
  for (const path of paths) {
    const entry = await planFile(path, input);
    if (entry) planned.push(entry);
  }
  return planned;
}
