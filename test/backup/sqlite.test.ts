import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { sqliteMissing } from './databases.js';
import { SCRIPTS, readManifest, removeDir, requireOrSkip, run, tempDir } from './support.js';
import { restoreSuite } from './restore-suite.js';

restoreSuite('sqlite');

describe('sqlite: configuration from the project', () => {
  let project = '';
  beforeAll(() => {
    project = tempDir('project');
  });
  afterAll(() => removeDir(project));

  it('reads .env from the project root, resolves relative paths there, and lets the environment win', async ({ skip }) => {
    requireOrSkip(await sqliteMissing(), skip);
    // A generated project: the scripts live in ops/backup, the database in data/.
    const scripts = join(project, 'ops', 'backup');
    cpSync(SCRIPTS, scripts, { recursive: true });
    mkdirSync(join(project, 'data'));
    await execa('sqlite3', [
      join(project, 'data', 'app.db'),
      "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES ('0001_init', '2025-01-01'), ('0002_notes', '2025-01-02');" +
        'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL);',
    ]);
    writeFileSync(join(project, '.env'), ['# comment', 'DATABASE_URL=sqlite:///data/app.db', 'BACKUP_DIR="./var/backups" # quoted, with a comment', 'JWT_SECRET=unrelated'].join('\n'));

    const fromDotenv = await run('backup.sh', [], {}, scripts);
    expect(fromDotenv.exitCode, fromDotenv.stderr).toBe(0);
    const file = fromDotenv.stdout.trim();
    expect(file.startsWith(join(project, 'var', 'backups', 'app-'))).toBe(true);
    expect(readManifest(file)).toMatchObject({ engine: 'sqlite', database: 'app', row_counts: { schema_migrations: 2, users: 0 }, migrations: { table: 'schema_migrations', head: '0002_notes' } });

    const envWins = await run('backup.sh', [], { BACKUP_DIR: join(project, 'elsewhere') }, scripts);
    expect(envWins.exitCode, envWins.stderr).toBe(0);
    expect(readdirSync(join(project, 'elsewhere')).filter((n) => n.endsWith('.sqlite3'))).toHaveLength(1);

    const missing = await run('backup.sh', [], { DATABASE_URL: 'sqlite:///data/missing.db' }, scripts);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toMatch(/SQLite database .*data\/missing\.db does not exist/);

    const unsupported = await run('backup.sh', [], { DATABASE_URL: 'mysql://app@localhost/app' }, scripts);
    expect(unsupported.exitCode).not.toBe(0);
    expect(unsupported.stderr).toMatch(/DATABASE_URL must start with sqlite:\/\/\/ or postgresql:\/\//);
  });
});
