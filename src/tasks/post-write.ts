import { execa } from 'execa';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yoctoSpinner from 'yocto-spinner';
import { TaskError } from '../errors.js';
export { checkToolchain, type ToolchainCheck } from './toolchain.js';

/** One side effect after the write, with a progress title. */
export interface Task {
  readonly title: string;
  readonly run: () => Promise<void>;
}

/** How many lines of a failed command's log the error shows. */
const LOG_TAIL_LINES = 20;

/**
 * Runs a shell command in the project with its output in a log file (stdout stays for --json,
 * and a package manager's progress would bury our own). On failure the error shows the log's
 * tail and keeps the file; on success the log is removed.
 */
export async function runShell(command: string, cwd: string): Promise<void> {
  const logFile = join(tmpdir(), `create-backend-${process.pid}-${Date.now()}.log`);
  // Both streams appended to one file, in the order the command wrote them.
  const toLog = { file: logFile, append: true } as const;
  const result = await execa(command, { cwd, shell: true, stdin: 'ignore', stdout: toLog, stderr: toLog, reject: false });
  const { exitCode, signal } = result;
  if (exitCode === 0) {
    rmSync(logFile, { force: true });
    return;
  }
  const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  throw new TaskError(
    `\`${command}\` failed in ${cwd} (exit ${exitCode ?? signal}). The last lines of its output:\n${tail}`,
    `The whole output is in ${logFile}. Fix the cause and run the command again; the project files are in place.`,
  );
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

/**
 * `text` cut to fit one line of the terminal beside the spinner's frame. A spinner whose line
 * wraps is redrawn from the wrong row by some terminals (tmux among them), which leaves a copy
 * of it behind at every redraw; the final tick or cross line keeps the whole text.
 */
export function oneLine(text: string, stream: Pick<NodeJS.WriteStream, 'columns'>): string {
  const room = (stream.columns || 80) - 3;
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}

/**
 * Runs tasks in order. On a terminal each has a spinner with the elapsed time, replaced by a
 * tick or a cross; elsewhere (CI, a pipe) one plain line each, so logs stay short.
 */
export async function runTasks(tasks: readonly Task[], log: (line: string) => void, stream: NodeJS.WriteStream = process.stderr): Promise<void> {
  const onTerminal = stream.isTTY && process.env.TERM !== 'dumb';
  for (const task of tasks) {
    if (!onTerminal) {
      log(`• ${task.title}…`);
      await task.run();
      continue;
    }
    const started = Date.now();
    const titled = (): string => `${task.title} (${Math.round((Date.now() - started) / 1000)} s)`;
    const spinner = yoctoSpinner({ text: oneLine(task.title, stream), stream }).start();
    const clock = setInterval(() => (spinner.text = oneLine(titled(), stream)), 1000);
    try {
      await task.run();
      spinner.success(titled());
    } catch (error) {
      spinner.error(titled());
      throw error;
    } finally {
      clearInterval(clock);
    }
  }
}
