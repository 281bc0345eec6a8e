/**
 * Backup and restore round trip with the scripts in ops/backup, on SQLite.
 *
 * These tests always use a SQLite file of their own, whatever TEST_DATABASE_URL says: restore.sh
 * replaces the database it is pointed at.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/index.js';
import { migrate } from '../src/db/migrator.js';
import { migrations } from '../src/db/migrations.js';
import { projectRoot } from '../src/paths.js';
import { login, PASSWORD, register } from './helpers.js';

const SCRIPTS = join(projectRoot, 'ops', 'backup');
const UNICODE_TITLE = 'Grüße aus Köln: 東京タワー 🗼';
const UNICODE_BODY = 'naïve café, שלום, 🎉\nsecond line';
// Sits inside a note's text in the backup file. A flipped byte there keeps the file a valid SQLite
// database with the same row counts: only the checksum can notice.
const CANARY = 'checksum canary';

type Rows = Record<string, unknown[]>;
type Headers = Record<string, string>;

interface Backup {
  database: string;
  url: string;
  env: NodeJS.ProcessEnv;
  file: string;
  rows: Rows;
  noteIds: Record<'unicode' | 'noBody' | 'canary' | 'bob' | 'deleted', number>;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const missing = ['bash', 'sqlite3', 'sha256sum'].filter((command) => !onPath(command));
const missingReason = missing.length
  ? `${missing.join(', ')} not found: install the sqlite3 command-line tool to run the backup ` +
    'tests (Debian/Ubuntu: apt-get install sqlite3; see ops/backup/README.md)'
  : undefined;
const inCi = !['', '0', 'false', 'no'].includes((process.env.CI ?? '').trim().toLowerCase());

/** The process environment with the scripts' own variables replaced by the test's. */
function scriptEnv(databaseUrl: string, backupDir: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(DATABASE_URL|APP_ENV|BACKUP_|PG)/.test(key)),
  );
  // Set, even when empty, so that nothing is taken from the project's .env.
  return {
    ...env,
    DATABASE_URL: databaseUrl,
    BACKUP_DIR: backupDir,
    APP_ENV: 'test',
    BACKUP_AGE_RECIPIENT: '',
    BACKUP_AGE_IDENTITY: '',
  };
}

function runScript(name: string, args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync('bash', [join(SCRIPTS, name), ...args], {
    cwd: projectRoot,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/** Every row of every table (sqlite_sequence included), read with node:sqlite. */
function tableRows(file: string): Rows {
  const db = new DatabaseSync(file);
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => {
        const { width } = db
          .prepare('SELECT count(*) AS width FROM pragma_table_info(?)')
          .get(name) as { width: number };
        const order = Array.from({ length: width }, (_, i) => i + 1).join(', ');
        return [name, db.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).all()];
      }),
    );
  } finally {
    db.close();
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Runs `use` against the app on the database at `url`, then closes both. */
async function withApp<T>(url: string, use: (app: FastifyInstance) => Promise<T>): Promise<T> {
  const { config } = loadConfig({
    APP_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    DATABASE_URL: url,
  });
  const db = openDatabase(config.databaseUrl);
  const app = await buildApp({ config, db });
  try {
    await app.ready();
    return await use(app);
  } finally {
    // Nothing may hold the file open while restore.sh swaps it.
    await app.close();
    await db.close();
  }
}

async function signIn(app: FastifyInstance, email: string): Promise<Headers> {
  const response = await login(app, email, PASSWORD);
  expect(response.statusCode, response.body).toBe(200);
  return { authorization: `Bearer ${response.json<{ access_token: string }>().access_token}` };
}

async function addNote(app: FastifyInstance, headers: Headers, payload: object): Promise<number> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/notes', headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: number }>().id;
}

/** A migrated database filled through the API, and a backup of it made by backup.sh. */
async function makeBackup(dir: string): Promise<Backup> {
  const database = join(dir, 'live.db');
  const url = `sqlite:///${database}`;
  const db = openDatabase(url);
  await migrate(db);
  await db.close();

  const noteIds = await withApp(url, async (app) => {
    await register(app, 'zoe@example.com');
    await register(app, 'bob@example.com');
    const zoe = await signIn(app, 'zoe@example.com');
    const bob = await signIn(app, 'bob@example.com');
    const ids = {
      unicode: await addNote(app, zoe, { title: UNICODE_TITLE, body: UNICODE_BODY }),
      noBody: await addNote(app, zoe, { title: 'No body' }),
      canary: await addNote(app, zoe, { title: 'Canary', body: CANARY }),
      bob: await addNote(app, bob, { title: "Bob's", body: 'Ünïcödé' }),
      // The newest note: its id must not be handed out again after a restore.
      deleted: await addNote(app, bob, { title: 'Deleted before the backup', body: 'gone' }),
    };
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/notes/${ids.deleted}`,
      headers: bob,
    });
    expect(deleted.statusCode).toBe(204);
    return ids;
  });

  const env = scriptEnv(url, join(dir, 'backups'));
  const result = runScript('backup.sh', [], env);
  expect(result.status, result.stderr).toBe(0);
  const file = result.stdout.trim().split('\n').at(-1) ?? '';
  expect(dirname(file)).toBe(join(dir, 'backups'));
  return { database, url, env, file, rows: tableRows(database), noteIds };
}

describe('ops/backup on SQLite', () => {
  let dir: string;
  let backup: Backup;

  beforeAll(() => {
    if (!missingReason) return;
    if (inCi) throw new Error(`${missingReason}; CI is set, so this is a failure, not a skip`);
    console.warn(`Skipping the backup tests: ${missingReason}`);
  });
  beforeEach(async (context) => {
    if (missingReason) context.skip(missingReason);
    dir = mkdtempSync(join(tmpdir(), 'backup-test-'));
    backup = await makeBackup(dir);
  });
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes a checksum and a manifest next to the backup', () => {
    const digest = sha256(backup.file);
    const name = backup.file.split('/').at(-1) ?? '';
    expect(readFileSync(`${backup.file}.sha256`, 'utf8')).toBe(`${digest}  ${name}\n`);

    const manifest = JSON.parse(readFileSync(`${backup.file}.json`, 'utf8')) as Record<
      string,
      unknown
    >;
    const counts = Object.entries(backup.rows)
      .filter(([table]) => !table.startsWith('sqlite_'))
      .map(([table, rows]) => [table, rows.length]);
    expect(manifest).toMatchObject({
      engine: 'sqlite',
      sha256: digest,
      row_counts: { ...Object.fromEntries(counts), notes: 4, users: 2 },
      migrations: { table: 'schema_migrations', head: migrations.at(-1)?.version },
    });
  });

  it('restores exactly the backed-up data', async () => {
    const wipe = new DatabaseSync(backup.database);
    wipe.exec('DELETE FROM notes; DELETE FROM users;');
    wipe.close();
    expect(tableRows(backup.database).notes).toEqual([]);

    const result = runScript('restore.sh', [backup.file, '--yes'], backup.env);
    expect(result.status, result.stderr).toBe(0);

    expect(tableRows(backup.database)).toEqual(backup.rows);
    await withApp(backup.url, async (app) => {
      const zoe = await signIn(app, 'zoe@example.com'); // the password hash came back too
      const note = await app.inject({
        method: 'GET',
        url: `/api/v1/notes/${backup.noteIds.unicode}`,
        headers: zoe,
      });
      expect(note.json()).toMatchObject({ title: UNICODE_TITLE, body: UNICODE_BODY });
      const noBody = await app.inject({
        method: 'GET',
        url: `/api/v1/notes/${backup.noteIds.noBody}`,
        headers: zoe,
      });
      expect(noBody.json()).toMatchObject({ body: null });
      const deleted = await app.inject({
        method: 'GET',
        url: `/api/v1/notes/${backup.noteIds.deleted}`,
        headers: zoe,
      });
      expect(deleted.statusCode).toBe(404);
      const newId = await addNote(app, zoe, { title: 'Written after the restore' });
      expect(newId).toBeGreaterThan(Math.max(...Object.values(backup.noteIds)));
    });
  });

  it('refuses a corrupted backup and leaves the live database alone', async () => {
    await withApp(backup.url, async (app) => {
      const bob = await signIn(app, 'bob@example.com');
      await addNote(app, bob, { title: 'Only in the live database' });
    });
    const liveRows = tableRows(backup.database);
    const liveDigest = sha256(backup.database);

    const data = readFileSync(backup.file);
    const at = data.indexOf(CANARY);
    expect(at, 'the canary note is stored as plain text in the backup').toBeGreaterThanOrEqual(0);
    data.writeUInt8(data.readUInt8(at) ^ 0x01, at); // "c" becomes "b": still valid text
    writeFileSync(backup.file, data);

    const result = runScript('restore.sh', [backup.file, '--yes'], backup.env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('checksum mismatch');
    expect(sha256(backup.database)).toBe(liveDigest);
    expect(tableRows(backup.database)).toEqual(liveRows);
    expect(readdirSync(dir).sort()).toEqual(['backups', 'live.db']);
  });
});
