import { execa } from 'execa';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { HADOLINT } from './toolchain.js';

/** hadolint with its default threshold: any finding fails. */
export async function lintDockerfile(dir: string): Promise<void> {
  const result = await execa(HADOLINT, ['Dockerfile'], { cwd: dir, reject: false, all: true });
  expect(result.all, 'hadolint findings').toBe('');
  expect(result.exitCode).toBe(0);
}

/** What no engine is needed to check in a Dockerfile: pinned base images, a non-root user, a health check. */
export async function checkDockerfile(dir: string): Promise<void> {
  const text = await readFile(join(dir, 'Dockerfile'), 'utf8');
  // Build arguments' defaults stand in for \${NAME} in FROM lines.
  const args = Object.fromEntries([...text.matchAll(/^ARG\s+(\w+)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
  const expand = (image: string): string => image.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => args[name] ?? whole);
  const froms = [...text.matchAll(/^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ image: expand(m[1]!), stage: m[2] }));
  expect(froms.length).toBeGreaterThanOrEqual(2); // multi-stage
  const stages = new Set(froms.map((f) => f.stage?.toLowerCase()).filter(Boolean));
  // Every FROM that is not an earlier stage names an image pinned to a version.
  for (const { image } of froms.filter((f) => !stages.has(f.image.toLowerCase()))) {
    expect(image, 'base image tag pinned to a version').toMatch(/:\d+\.\d+(\.\d+)?/);
  }
  const users = [...text.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
  expect(users.at(-1), 'final stage runs as a non-root user').toBeDefined();
  expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  expect(text).toMatch(/^HEALTHCHECK\s/m);
  const ignore = await readFile(join(dir, '.dockerignore'), 'utf8');
  const entries = ignore.split('\n').map((l) => l.trim().replace(/^\//, '').replace(/\/$/, ''));
  for (const entry of ['.env', '.git']) expect(entries, `.dockerignore lists ${entry}`).toContain(entry);
}

/** Validates compose.yaml offline with docker-compose and checks its security properties. */
export async function checkCompose(dir: string): Promise<void> {
  const text = await readFile(join(dir, 'compose.yaml'), 'utf8');
  const required = [...new Set([...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]!))];
  expect(required, 'secrets come from the environment as ${VAR:?}').toContain('POSTGRES_PASSWORD');
  const env = Object.fromEntries(required.map((name) => [name, 'x'.repeat(40)]));
  // An empty --env-file: the generated .env holds real values, and compose would read it.
  const emptyEnv = join(await mkdtemp(join(tmpdir(), 'cb-compose-')), 'empty.env');
  await writeFile(emptyEnv, '');
  const compose = ['--env-file', emptyEnv, '-f', 'compose.yaml', 'config', '-q'];
  const result = await execa('docker-compose', compose, { cwd: dir, reject: false, all: true, env });
  expect(result.all ?? '', 'docker-compose config').toBe('');
  expect(result.exitCode).toBe(0);
  // Without the secrets compose must refuse to start at all.
  const missing = await execa('docker-compose', compose, { cwd: dir, reject: false, all: true, env: { PATH: process.env.PATH ?? '' }, extendEnv: false });
  expect(missing.exitCode).not.toBe(0);
  const doc = parse(text) as { services: Record<string, { ports?: unknown; image?: string; healthcheck?: unknown }> };
  expect(doc.services.db, 'a PostgreSQL service named db').toBeDefined();
  expect(doc.services.db!.ports, 'database port not published').toBeUndefined();
  expect(doc.services.db!.healthcheck).toBeDefined();
  expect(doc.services.db!.image).toMatch(/^postgres:\d+/);
}
