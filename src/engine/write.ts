import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { onInterrupt } from './cleanup.js';
import { WRITES, type PlannedFile } from './plan.js';

// Synchronous I/O on purpose: nothing else runs while a project is written, and for a hundred
// small files a thread-pool round trip per call costs more than the call (bench/ measures it).

/** The bytes of a file, or `undefined` when it does not exist. */
export function readIfExists(path: string): Buffer | undefined {
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

function writeFiles(root: string, files: readonly PlannedFile[]): void {
  for (const parent of new Set(files.map((f) => dirname(join(root, f.path))))) mkdirSync(parent, { recursive: true });
  // The mode is masked by the user's umask, as git does: scripts stay executable, .env private.
  for (const { path, file } of files) writeFileSync(join(root, path), file!.content, { mode: file!.mode });
}

/**
 * The one function that writes a project to disk. Files are first written into a staging
 * directory next to the target, then moved into place: a new project with a single rename, so
 * an interrupted run never leaves a half-written project behind. Files planned `delete` are
 * removed last; every other status leaves the file alone.
 */
export async function writePlan(plan: readonly PlannedFile[], dir: string): Promise<void> {
  const staging = join(dirname(dir), `.${basename(dir)}.create-backend-${randomBytes(4).toString('hex')}`);
  const release = onInterrupt(() => rmSync(staging, { recursive: true, force: true }));
  try {
    const toWrite = plan.filter((f) => WRITES.has(f.status) && f.file);
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
    for (const { path } of plan.filter((f) => f.status === 'delete')) rmSync(join(dir, path), { force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
    release();
  }
}
