import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Lists the entries of a directory, or `undefined` when it does not exist. */
export async function listDir(dir: string): Promise<string[] | undefined> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Compares the tree with what is on disk under `dir` and gives every file its status. */
export async function planChanges(tree: Tree, dir: string): Promise<PlannedFile[]> {
  const exists = (await listDir(dir)) !== undefined;
  return Promise.all(
    tree.paths().map(async (path): Promise<PlannedFile> => {
      const file = tree.get(path)!;
      const current = exists ? await readIfExists(join(dir, path)) : undefined;
      let status: FileStatus = 'create';
      if (current !== undefined) {
        if (current.equals(file.content)) status = 'identical';
        else status = KEEP_IF_PRESENT.has(path) ? 'skip' : 'conflict';
      }
      return { path, status, file };
    }),
  );
}

async function writeFiles(root: string, files: readonly PlannedFile[]): Promise<void> {
  for (const { path, file } of files) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content, { mode: file.mode });
    // writeFile's mode is masked by the umask; scripts must stay executable, secrets private.
    await chmod(target, file.mode);
  }
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
    await writeFiles(staging, toWrite);
    const existing = await listDir(dir);
    if (existing === undefined || existing.length === 0) {
      if (existing) await rm(dir, { recursive: true });
      await rename(staging, dir);
      return;
    }
    for (const { path } of toWrite) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await rename(join(staging, path), join(dir, path));
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
    release();
  }
}
