import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A hash of every file under a directory (paths and bytes), `.git` excluded: equal means untouched. */
export async function treeHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = ((await readdir(dir, { recursive: true, withFileTypes: true })) as { isFile(): boolean; parentPath: string; name: string }[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => !p.slice(dir.length).split('/').includes('.git'))
    .sort();
  for (const path of entries) hash.update(path.slice(dir.length)).update('\0').update(await readFile(path)).update('\0');
  return hash.digest('hex');
}

/** Environment for git in tests: an identity, and no user or system configuration. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.test',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.test',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Runs git in a project with the test identity. */
export const git = (args: string[], cwd: string) => execa('git', args, { cwd, env: { ...process.env, ...GIT_ENV } });
