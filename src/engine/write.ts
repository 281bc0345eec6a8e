import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { onInterrupt } from './cleanup.js';
import type { Tree, TreeFile } from './tree.js';

/**
 * What writing a file will do: `create` a new file, `update` one of ours, leave an `identical`
 * one alone, `conflict` with a different file already there, or `skip` it (a local `.env`).
 */
export type FileStatus = 'create' | 'update' | 'identical' | 'conflict' | 'skip';

/** One file of the change list. */
export interface PlannedFile {
  readonly path: string;
  readonly status: FileStatus;
  readonly file: TreeFile;
}

/** Files a user keeps their own values in: never replaced once they exist. */
const KEEP_IF_PRESENT = new Set(['.env']);

// Synchronous I/O on purpose: nothing else runs while a project is written, and for a hundred
// small files a thread-pool round trip per call costs more than the call (bench/ measures it).

function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Lists the entries of a directory, or `undefined` when it does not exist. */
export function listDir(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Compares the tree with what is on disk under `dir` and gives every file its status. */
export function planChanges(tree: Tree, dir: string): PlannedFile[] {
  const exists = listDir(dir) !== undefined;
  return tree.paths().map((path): PlannedFile => {
      const file = tree.get(path)!;
      const current = exists ? readIfExists(join(dir, path)) : undefined;
      let status: FileStatus = 'create';
      if (current !== undefined) {
        if (current.equals(file.content)) status = 'identical';
        else status = KEEP_IF_PRESENT.has(path) ? 'skip' : 'conflict';
      }
      return { path, status, file };
    });
}

function writeFiles(root: string, files: readonly PlannedFile[]): void {
  for (const parent of new Set(files.map((f) => dirname(join(root, f.path))))) mkdirSync(parent, { recursive: true });
  // The mode is masked by the user's umask, as git does: scripts stay executable, .env private.
  for (const { path, file } of files) writeFileSync(join(root, path), file.content, { mode: file.mode });
}

/**
 * The one function that writes a project to disk. Files are first written into a staging
 * directory next to the target, then moved into place: a new project with a single rename, so
 * an interrupted run never leaves a half-written project behind. `conflict` files are written
 * only when `overwrite` is set; `identical` and `skip` files are left alone.
 */
export async function writePlan(plan: readonly PlannedFile[], dir: string, overwrite: boolean): Promise<void> {
  const staging = join(dirname(dir), `.${basename(dir)}.create-backend-${randomBytes(4).toString('hex')}`);
  const release = onInterrupt(() => rmSync(staging, { recursive: true, force: true }));
  try {
    const toWrite = plan.filter((f) => f.status === 'create' || f.status === 'update' || (overwrite && f.status === 'conflict'));
    writeFiles(staging, toWrite);
    const existing = listDir(dir);
    if (existing === undefined || existing.length === 0) {
      if (existing) rmSync(dir, { recursive: true });
      renameSync(staging, dir);
      return;
    }
    for (const { path } of toWrite) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      renameSync(join(staging, path), join(dir, path));
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
    release();
  }
}
