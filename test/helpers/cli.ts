import { execa, type Options, type Result } from 'execa';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The built CLI, as users run it. `npm test` builds it first. */
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.cjs');

/** Runs the built CLI without a terminal; never throws on a non-zero exit. */
export function runCli(args: readonly string[], options: Options = {}): Promise<Result> {
  return execa('node', [CLI, ...args], { reject: false, stdin: 'ignore', env: { CI: '' }, ...options }) as Promise<Result>;
}

/** Every path under a directory (recursively, sorted), or [] when it does not exist. */
export async function listTree(dir: string): Promise<string[]> {
  try {
    return ((await readdir(dir, { recursive: true })) as string[]).sort();
  } catch {
    return [];
  }
}
