import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackId } from '../../src/answers/questions.js';
import { UV } from '../e2e/toolchain.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A second build of create-backend, one patch version ahead, with known template changes. */
export interface NextVersion {
  readonly cli: string;
  readonly version: string;
  readonly dir: string;
  /** The README's first line in the next version (a project named `name`). */
  readonly readmeTitle: (name: string) => string;
  readonly dispose: () => Promise<void>;
}

/** The line the next version adds at the end of every Dockerfile. */
export const NEXT_DOCKERFILE_LINE = 'LABEL org.opencontainers.image.documentation="https://example.test/next"';
/** The file the next version adds to every project. */
export const NEXT_NEW_FILE = 'SECURITY.md';
/** The file the next version drops from projects with backups. */
export const NEXT_REMOVED_FILE = 'ops/backup/.gitattributes';
/** A file the next version changes (users in the tests delete it). */
export const NEXT_CHANGED_FILE = 'ops/backup/README.md';

/** The pin each stack's next version moves, to a version that exists on its registry. */
export const NEXT_PIN: Partial<Record<StackId, { key: string; version: string; file: string }>> = {
  node: { key: 'prettier', version: '3.10.0', file: 'package.json' },
  django: { key: 'ruff', version: '0.17.6', file: 'requirements-dev.txt' },
  flask: { key: 'ruff', version: '0.17.6', file: 'requirements-dev.txt' },
};

/**
 * Builds the next version from this repository's sources in a scratch directory: every
 * Dockerfile gains a line, every README's title line changes, a file is added, one is removed,
 * one changes, and a pin moves (Python's lock is made again with uv). The build is the real one
 * (`scripts/build.ts`).
 */
export async function buildNextVersion(): Promise<NextVersion> {
  const dir = await mkdtemp(join(tmpdir(), 'cb-next-'));
  for (const entry of ['src', 'scripts', 'templates', 'package.json', 'tsconfig.json']) {
    await cp(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (source) => !source.includes(`${join('src', 'generated')}`) });
  }
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const pkgPath = join(dir, 'package.json');
  const pkg = JSON.parse(await readFile(pkgPath, 'utf8')) as { version: string };
  const [major, minor, patch] = pkg.version.split(/[.-]/).map(Number) as [number, number, number];
  const version = `${major}.${minor}.${patch + 1}`;
  await writeFile(pkgPath, JSON.stringify({ ...pkg, version }, null, 2));

  const templates = join(dir, 'templates');
  for (const stack of ['node', 'django', 'flask', 'php']) {
    await appendFile(join(templates, stack, 'docker', 'Dockerfile.hbs'), `${NEXT_DOCKERFILE_LINE}\n`).catch(() => undefined);
    const readme = join(templates, stack, 'base', 'README.md.hbs');
    const text = await readFile(readme, 'utf8').catch(() => undefined);
    if (text !== undefined) await writeFile(readme, text.replace(/^# \{\{name\}\}$/m, '# {{name}} — a create-backend API'));
  }
  await writeFile(join(templates, 'shared', 'base', NEXT_NEW_FILE), '# Security\n\nReport vulnerabilities privately to the maintainers.\n');
  await rm(join(templates, 'shared', 'backup', 'ops', 'backup', '_gitattributes'));
  await appendFile(join(templates, 'shared', 'backup', 'ops', 'backup', 'README.md'), '\nRestore drills: run one every quarter.\n');
  for (const [stack, pin] of Object.entries(NEXT_PIN)) {
    const file = join(templates, stack, 'versions.json');
    const versions = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    versions[pin.key] = pin.version;
    await writeFile(file, `${JSON.stringify(versions, null, 2)}\n`);
  }
  // A Python pin lives in uv.lock and the requirements exported from it too: lock again, as a release would.
  await execa('node', [join(dir, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/lock-python.ts'], { cwd: dir, env: { UV: process.env.UV ?? (existsSync(UV) ? UV : 'uv') } });
  await execa('node', [join(dir, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/build.ts'], { cwd: dir });
  return {
    cli: join(dir, 'dist', 'cli.cjs'),
    version,
    dir,
    readmeTitle: (name) => `# ${name} — a create-backend API`,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
