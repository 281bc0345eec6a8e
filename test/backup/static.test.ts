import { execa } from 'execa';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SCRIPTS, SCRIPT_NAMES, missingCommands, removeDir, requireOrSkip, run, tempDir } from './support.js';

const LAYER = join(SCRIPTS, '..', '..');
/** What the backup feature adds when docker is there too: the compose service and its README section. */
const WITH_DOCKER = join(LAYER, '..', 'docker+backup');
const ALL_SCRIPTS = [...SCRIPT_NAMES, 'lib.sh'];

describe('backup scripts: static checks', () => {
  it('pass shellcheck with every check enabled by default', async ({ skip }) => {
    requireOrSkip(await missingCommands(['shellcheck']), skip);
    const result = await execa('shellcheck', ['--external-sources', '--severity=style', ...ALL_SCRIPTS], { cwd: SCRIPTS, reject: false });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
  });

  it('justify every disabled shellcheck rule in a comment', () => {
    for (const script of ALL_SCRIPTS) {
      for (const line of readFileSync(join(SCRIPTS, script), 'utf8').split('\n')) {
        if (line.includes('shellcheck disable=')) expect(line, `${script}: ${line}`).toMatch(/disable=SC\d+(,SC\d+)* # \S/);
      }
    }
  });

  it('are strict bash, executable, and answer --help', async () => {
    for (const script of SCRIPT_NAMES) {
      const text = readFileSync(join(SCRIPTS, script), 'utf8');
      expect(text.startsWith('#!/usr/bin/env bash\n'), script).toBe(true);
      expect(text, script).toContain('set -Eeuo pipefail');
      expect(statSync(join(SCRIPTS, script)).mode & 0o111, `${script} is executable`).not.toBe(0);
      const help = await run(script, ['--help'], {});
      expect(help.exitCode, `${script} --help: ${help.stderr}`).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: ops/backup/${script.replace('.', '\\.')}`));
      const bad = await run(script, ['--no-such-option'], {});
      expect(bad.exitCode, script).not.toBe(0);
      expect(bad.stderr, script).toMatch(/see .* --help/);
    }
  });

  it('document every variable the scripts read in .env.example and the README', () => {
    const envExample = readFileSync(join(LAYER, '_env.example'), 'utf8');
    const readme = [readFileSync(join(SCRIPTS, 'README.md'), 'utf8'), readFileSync(join(WITH_DOCKER, 'ops', 'backup', 'README.md'), 'utf8')].join('\n');
    for (const key of ['BACKUP_DIR', 'BACKUP_AGE_RECIPIENT', 'BACKUP_AGE_IDENTITY', 'BACKUP_ALLOW_PRODUCTION_RESTORE']) {
      expect(envExample).toMatch(new RegExp(`^${key}=`, 'm'));
      expect(readme).toContain(key);
    }
    const sources = ALL_SCRIPTS.map((s) => readFileSync(join(SCRIPTS, s), 'utf8')).join('\n');
    for (const key of new Set(sources.match(/\bBACKUP_[A-Z_]+\b/g))) expect(readme, key).toContain(key);
    expect(readme).toMatch(/^\d+ \d+ \* \* \* /m); // a cron line
    expect(readme).toContain('OnCalendar=');
    expect(readme).toContain('docker compose run --rm backup ops/backup/backup.sh');
  });
});

describe('backup compose fragment', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir('compose');
  });
  afterAll(() => removeDir(dir));

  // The same deep merge the generator applies to compose.yaml layers.
  const merge = (a: any, b: any): any => {
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
      return Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, k in b ? merge(a[k], b[k]) : a[k]]));
    }
    return b === undefined ? a : b;
  };
  const stack = {
    services: {
      db: {
        image: 'postgres:17',
        environment: { POSTGRES_USER: 'app', POSTGRES_DB: 'app', POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}' },
        healthcheck: { test: ['CMD-SHELL', 'pg_isready -U app -d app'], interval: '5s', retries: 10 },
        volumes: ['pgdata:/var/lib/postgresql/data'],
      },
    },
    volumes: { pgdata: {} },
  };
  const fragment = parse(readFileSync(join(WITH_DOCKER, 'compose.yaml'), 'utf8'));

  it('defines an on-demand backup service with the server major version and read-only scripts', () => {
    const backup = fragment.services.backup;
    expect(backup.image).toBe('postgres:17-bookworm');
    expect(backup.profiles).toEqual(['backup']);
    expect(backup.volumes).toContain('./ops/backup:/app/ops/backup:ro');
    expect(backup.volumes).toContain('backups:/backups');
    expect(backup.environment.DATABASE_URL).toMatch(/^postgresql:\/\/app:\$\{POSTGRES_PASSWORD:\?[^}]+\}@db:5432\/app$/);
    expect(backup.environment.BACKUP_DIR).toBe('/backups');
    expect(backup.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(fragment.volumes).toHaveProperty('backups');
  });

  it('validates with docker-compose when merged into a stack with a db service', async ({ skip }) => {
    requireOrSkip(await missingCommands(['docker-compose']), skip);
    const file = join(dir, 'compose.yaml');
    writeFileSync(file, stringify(merge(stack, fragment)));
    const env = { ...process.env, POSTGRES_PASSWORD: 'dummy-password-for-validation' };
    const ok = await execa('docker-compose', ['-f', file, '--profile', 'backup', 'config'], { cwd: dir, env, reject: false });
    expect(ok.exitCode, ok.stderr).toBe(0);
    const config = parse(ok.stdout);
    expect(config.services.backup.environment.DATABASE_URL).toBe('postgresql://app:dummy-password-for-validation@db:5432/app');
    expect(config.services.backup.volumes.some((v: string) => v.endsWith(':/app/ops/backup:ro'))).toBe(true);

    const { POSTGRES_PASSWORD: _, ...withoutPassword } = env;
    const missing = await execa('docker-compose', ['-f', file, 'config'], { cwd: dir, env: withoutPassword, extendEnv: false, reject: false });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toMatch(/POSTGRES_PASSWORD/);
  });
});
