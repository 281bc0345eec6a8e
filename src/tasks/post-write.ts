import { execa } from 'execa';
import { TaskError } from '../errors.js';
export { checkToolchain, type ToolchainCheck } from './toolchain.js';

/** One side effect after the write, with a progress title. */
export interface Task {
  readonly title: string;
  readonly run: () => Promise<void>;
}

/** Runs a shell command in the project, streaming its output to stderr (stdout stays for --json). */
export async function runShell(command: string, cwd: string): Promise<void> {
  const result = await execa(command, { cwd, shell: true, stdin: 'ignore', stdout: 2, stderr: 2, reject: false });
  if (result.exitCode !== 0) {
    throw new TaskError(`\`${command}\` failed in ${cwd} (exit ${result.exitCode ?? result.signal}).`, 'Fix the cause and run it again; the project files are in place.');
  }
}

async function insideGitWorkTree(dir: string): Promise<boolean> {
  const result = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, reject: false });
  return result.exitCode === 0 && result.stdout.trim() === 'true';
}

/**
 * `git init` and a first commit. Skipped inside an existing repository (the project is then
 * part of it); without a configured git identity the repository is created without a commit.
 */
export async function initGit(dir: string, log: (line: string) => void): Promise<void> {
  if (await insideGitWorkTree(dir)) {
    log('  (already inside a git repository: no new repository created)');
    return;
  }
  await execa('git', ['init', '--quiet', '--initial-branch=main'], { cwd: dir });
  await execa('git', ['add', '--all'], { cwd: dir });
  const commit = await execa('git', ['commit', '--quiet', '-m', 'Initial commit from create-backend'], { cwd: dir, reject: false });
  if (commit.exitCode !== 0) log('  (no commit made: set git user.name and user.email, then commit)');
}

/** Runs tasks in order with one progress line each. */
export async function runTasks(tasks: readonly Task[], log: (line: string) => void): Promise<void> {
  for (const task of tasks) {
    log(`• ${task.title}…`);
    await task.run();
  }
}
