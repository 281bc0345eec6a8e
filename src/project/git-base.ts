/**
 * Keeps the pristine render of a project's recipe inside its own git repository, as a commit
 * under a ref of ours (`refs/create-backend/base`, never a branch the user sees), so that
 * `update` can recover the exact base of its three-way merge offline, from the project alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Tree } from '../engine/tree.js';

/** Identity of the commits we make, so they never depend on (or need) the user's git config. */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'create-backend',
  GIT_AUTHOR_EMAIL: 'create-backend@localhost',
  GIT_COMMITTER_NAME: 'create-backend',
  GIT_COMMITTER_EMAIL: 'create-backend@localhost',
};

interface Git {
  (args: readonly string[], options?: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string }): { ok: boolean; stdout: Buffer; stderr: string };
}

function gitIn(dir: string): Git {
  return (args, options = {}) => {
    const result = spawnSync('git', args, {
      cwd: options.cwd ?? dir,
      input: options.input,
      env: { ...process.env, ...options.env },
      maxBuffer: 256 * 1024 * 1024,
    });
    return { ok: result.status === 0, stdout: result.stdout ?? Buffer.alloc(0), stderr: result.stderr?.toString('utf8') ?? String(result.error ?? '') };
  };
}

/** Where a project sits in its repository, or `undefined` when it is in none (or git is missing). */
export interface Repository {
  readonly gitDir: string;
  readonly top: string;
  /** The project's path inside the repository (`''` at its root). */
  readonly prefix: string;
  readonly git: Git;
}

/** The repository the project directory belongs to. */
export function findRepository(dir: string): Repository | undefined {
  const git = gitIn(dir);
  const found = git(['rev-parse', '--absolute-git-dir', '--show-toplevel']);
  if (!found.ok) return undefined;
  const [gitDir, top] = found.stdout.toString('utf8').trim().split('\n');
  if (!gitDir || !top) return undefined;
  return { gitDir, top, prefix: relative(top, dir).split('\\').join('/'), git };
}

/** The ref that holds a project's base: one per project directory in the repository. */
export function baseRef(repo: Repository): string {
  return repo.prefix === '' ? 'refs/create-backend/base' : `refs/create-backend/projects/${repo.prefix.replace(/[^A-Za-z0-9/_-]/g, '_')}/base`;
}

/**
 * Records a pristine render as the project's base: a commit (parented on the previous base, so
 * the history of renders stays inspectable) under {@link baseRef}. Best effort: returns false
 * when it could not, and `update` then falls back to the manifest's hashes.
 */
export function storeBase(repo: Repository, pristine: Tree, message: string): boolean {
  const scratch = mkdtempSync(join(tmpdir(), 'create-backend-base-'));
  try {
    const work = join(scratch, 'tree');
    for (const path of pristine.paths()) {
      const file = pristine.get(path)!;
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), file.content, { mode: file.mode });
    }
    mkdirSync(work, { recursive: true });
    const env = { ...IDENTITY, GIT_DIR: repo.gitDir, GIT_WORK_TREE: work, GIT_INDEX_FILE: join(scratch, 'index') };
    // -f: the project's own ignore rules must not drop a generated file from its base.
    if (!repo.git(['add', '--all', '--force', '.'], { env, cwd: work }).ok) return false;
    const tree = repo.git(['write-tree'], { env, cwd: work });
    if (!tree.ok) return false;
    const ref = baseRef(repo);
    const parent = repo.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    const commit = repo.git(['commit-tree', tree.stdout.toString().trim(), ...(parent.ok ? ['-p', parent.stdout.toString().trim()] : []), '-m', message], { env: IDENTITY });
    if (!commit.ok) return false;
    return repo.git(['update-ref', ref, commit.stdout.toString().trim()]).ok;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The recorded bases of a project, newest first: the ref and its parents. Older ones matter when
 * the user undid a change (`git checkout .`) after create-backend had recorded its base.
 */
export function baseCommits(repo: Repository, max = 50): string[] {
  const list = repo.git(['rev-list', `--max-count=${max}`, baseRef(repo), '--']);
  return list.ok ? list.stdout.toString('utf8').split('\n').filter(Boolean) : [];
}

/** The files of one recorded base, or `undefined` when it cannot be read. */
export function loadBase(repo: Repository, commit: string = baseRef(repo)): Tree | undefined {
  const listing = repo.git(['ls-tree', '-r', '-z', '--full-tree', commit]);
  if (!listing.ok) return undefined;
  const entries = listing.stdout
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta = '', path = ''] = line.split('\t');
      const [mode = '', type = '', sha = ''] = meta.split(' ');
      return { mode, type, sha, path };
    })
    .filter((e) => e.type === 'blob');
  const batch = repo.git(['cat-file', '--batch'], { input: entries.map((e) => e.sha).join('\n') + '\n' });
  if (!batch.ok) return undefined;
  const tree = new Tree();
  let at = 0;
  for (const entry of entries) {
    const headerEnd = batch.stdout.indexOf(0x0a, at);
    const size = Number(batch.stdout.subarray(at, headerEnd).toString('utf8').split(' ')[2]);
    if (!Number.isFinite(size)) return undefined;
    tree.write(entry.path, Buffer.from(batch.stdout.subarray(headerEnd + 1, headerEnd + 1 + size)), entry.mode === '100755' ? 0o755 : 0o644);
    at = headerEnd + 1 + size + 1;
  }
  return tree;
}

/** Whether the project's files have changes git has not committed (untracked files count). */
export function isDirty(repo: Repository, dir: string): boolean {
  const status = repo.git(['status', '--porcelain', '--untracked-files=normal', '--', '.'], { cwd: dir });
  return !status.ok || status.stdout.toString('utf8').trim() !== '';
}

/**
 * Records conflicted files in the index as git does after a failed merge (stages 1–3), so that
 * `git status` lists them as "both modified" and `git mergetool` works.
 */
export function recordConflicts(repo: Repository, conflicts: readonly { path: string; base?: Buffer; ours: Buffer; theirs: Buffer; mode: number }[]): void {
  const blob = (content: Buffer): string => repo.git(['hash-object', '-w', '--stdin'], { input: content }).stdout.toString().trim();
  const lines: string[] = [];
  for (const c of conflicts) {
    const path = repo.prefix ? `${repo.prefix}/${c.path}` : c.path;
    const mode = c.mode & 0o111 ? '100755' : '100644';
    lines.push(`0 ${'0'.repeat(40)}\t${path}`);
    if (c.base) lines.push(`${mode} ${blob(c.base)} 1\t${path}`);
    lines.push(`${mode} ${blob(c.ours)} 2\t${path}`, `${mode} ${blob(c.theirs)} 3\t${path}`);
  }
  if (lines.length > 0) repo.git(['update-index', '--index-info'], { input: `${lines.join('\n')}\n`, cwd: repo.top });
}
