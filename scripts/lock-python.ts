/**
 * Rewrites the lock of each Python stack: renders its `pyproject.toml` (the dependencies come
 * from `templates/<stack>/versions.json`), runs `uv lock` on it, and stores the result as
 * `templates/<stack>/base/uv.lock.hbs`, with `requirements.txt` and `requirements-dev.txt`
 * (same folder) exported from that lock for installs with pip. Run it after any change to a Python stack's
 * dependencies: `npm run lock:python` (needs uv, from PATH or scripts/setup-test-tools.sh, and
 * PyPI).
 *
 * The project's name is the only part of the lock that depends on the project: it is written as
 * `{{name}}` in the template. uv keeps the packages of a lock in name order, but it
 * takes a lock as current when only that order differs, so the project's entry stays where it
 * sorts for the name used here, whatever the real name is.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';

const root = join(import.meta.dirname, '..');
/** A name no dependency spells, so replacing it back with `{{name}}` touches nothing else. */
const LOCK_NAME = 'cb-lock-project';
const PYTHON_STACKS = ['django', 'flask'] as const;

/** uv: `UV` if set, else the one scripts/setup-test-tools.sh installs, else the one on PATH. */
function uvBinary(): string {
  const local = join(root, '.cache', 'tools', 'bin', 'uv');
  return process.env.UV ?? (existsSync(local) ? local : 'uv');
}

function readJson(path: string): Record<string, string> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
}

/** The project's files as `uv lock` and `uv export` leave them, the name made a template variable. */
function lockStack(stack: (typeof PYTHON_STACKS)[number], uv: string): void {
  const templates = join(root, 'templates');
  const versions = { ...readJson(join(templates, 'shared', 'versions.json')), ...readJson(join(templates, stack, 'versions.json')) };
  const source = readFileSync(join(templates, stack, 'base', 'pyproject.toml.hbs'), 'utf8');
  const pyproject = Handlebars.compile(source, { strict: true, noEscape: true })({ name: LOCK_NAME, versions });
  const dir = mkdtempSync(join(tmpdir(), `cb-lock-${stack}-`));
  try {
    writeFileSync(join(dir, 'pyproject.toml'), pyproject);
    // The lock is for every platform and every Python the project accepts, not for this machine's.
    const run = (...args: string[]): void => {
      execFileSync(uv, args, { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, UV_NO_CONFIG: '1' } });
    };
    run('lock', '--quiet');
    // Without hashes: pip then takes the exact versions from the index, as before a lock existed,
    // and a line a user appends needs no hash of its own (uv.lock keeps every hash). Without
    // "# via" notes, which would name the project and order themselves by its name.
    const exportTo = (file: string, ...args: string[]): void =>
      run('export', '--quiet', '--frozen', '--no-hashes', '--no-annotate', '--no-emit-project', ...args, '--output-file', file);
    exportTo('requirements.txt', '--no-dev');
    exportTo('requirements-dev.txt');
    const base = join(templates, stack, 'base');
    const lock = readFileSync(join(dir, 'uv.lock'), 'utf8');
    if (lock.includes('{{')) throw new Error(`${stack}: uv.lock contains "{{", which the template would read as a variable`);
    writeFileSync(join(base, 'uv.lock.hbs'), lock.replaceAll(LOCK_NAME, '{{name}}'));
    for (const file of ['requirements.txt', 'requirements-dev.txt']) {
      const text = readFileSync(join(dir, file), 'utf8');
      if (text.includes(LOCK_NAME)) throw new Error(`${stack}: ${file} names the project`);
      writeFileSync(join(base, file), text);
    }
    console.log(`${stack}: templates/${stack}/base/uv.lock.hbs, requirements.txt, requirements-dev.txt`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const uv = uvBinary();
for (const stack of PYTHON_STACKS) lockStack(stack, uv);
