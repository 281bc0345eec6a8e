import { execa } from 'execa';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConcurrentWriter, SEED_NOTES, SEED_USERS, missingCommands, randomSuffix, sqlText } from './support.js';

/** Highest ids ever handed out by the seed (the rows holding them are deleted). */
export const SEED_MAX_IDS = { users: SEED_USERS.length, notes: SEED_NOTES.length };

export type Limits = { users: number; notes: number };
export type Row = Record<string, unknown> & { id: number };
export type Rows = { users: Row[]; notes: Row[]; migrations: Record<string, unknown>[] };

/** The rows a snapshot taken when ids reached `limits` holds (no row is deleted meanwhile). */
export function rowsUpTo(rows: Rows, limits: Limits): Rows {
  return { users: rows.users.filter((r) => r.id <= limits.users), notes: rows.notes.filter((r) => r.id <= limits.notes), migrations: rows.migrations };
}

/** A database the scripts are pointed at, with the few operations the tests need. */
export interface TestDatabase {
  readonly engine: 'sqlite' | 'postgresql';
  readonly url: string;
  /** The framework migration table this database carries and its latest entry. */
  readonly migration: { table: string; head: string };
  exec(sql: string): Promise<string>;
  /** Every row of the app's tables, ordered by id: the logical fingerprint of the data. */
  rows(): Promise<Rows>;
  maxIds(): Promise<Limits>;
  /** Inserts a note (as a user of the seed) and returns its id. */
  insertNote(title: string): Promise<number>;
  writer(): ConcurrentWriter;
  /** Scratch targets a restore or verify left behind (must be none). */
  leftovers(): Promise<string[]>;
  /** Copies of the previous live database that restore kept. */
  keptCopies(): Promise<string[]>;
  destroy(): Promise<void>;
}

function seedSql(idColumn: string, migrationSql: string, now: string): string {
  const users = SEED_USERS.map((email) => `INSERT INTO users (email, password_hash, created_at) VALUES (${sqlText(email)}, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', ${now});`);
  const notes = SEED_NOTES.map(
    ([owner, title, body]) => `INSERT INTO notes (owner_id, title, body, created_at, updated_at) VALUES (${owner}, ${sqlText(title)}, ${sqlText(body)}, ${now}, ${now});`,
  );
  return [
    `CREATE TABLE users (id ${idColumn}, email VARCHAR(254) NOT NULL UNIQUE, password_hash VARCHAR(255) NOT NULL, created_at TIMESTAMP NOT NULL);`,
    `CREATE TABLE notes (id ${idColumn}, owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, title VARCHAR(200) NOT NULL, body TEXT, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL);`,
    'CREATE INDEX notes_owner_id_idx ON notes (owner_id);',
    migrationSql,
    ...users,
    ...notes,
    // The highest ids are deleted: a restore that only re-derives sequences from MAX(id) is caught.
    `DELETE FROM notes WHERE id = ${SEED_NOTES.length};`,
    'DELETE FROM users WHERE id = 5;',
  ].join('\n');
}

export async function sqliteMissing(): Promise<string | null> {
  return missingCommands(['sqlite3', 'sha256sum']);
}

/** A SQLite database file shaped like the Django stack's (django_migrations, AUTOINCREMENT ids). */
export async function createSqlite(dir: string, options: { wal?: boolean } = {}): Promise<TestDatabase> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'app.db');
  const sqlite = async (sql: string, json = false) =>
    (await execa('sqlite3', ['-batch', '-bail', ...(json ? ['-json'] : []), '-cmd', '.timeout 10000', '-cmd', 'PRAGMA foreign_keys = ON;', file, sql])).stdout;
  const migrationSql = [
    'CREATE TABLE django_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, app VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, applied DATETIME NOT NULL);',
    "INSERT INTO django_migrations (app, name, applied) VALUES ('contenttypes', '0001_initial', '2025-01-01 00:00:00'), ('notes', '0001_initial', '2025-01-01 00:00:01'), ('notes', '0002_note_body', '2025-01-02 00:00:00');",
  ].join('\n');
  await sqlite((options.wal ? 'PRAGMA journal_mode = WAL;\n' : '') + seedSql('INTEGER PRIMARY KEY AUTOINCREMENT', migrationSql, "'2025-01-01 12:00:00'"));
  const table = async (sql: string) => JSON.parse((await sqlite(sql, true)) || '[]');

  return {
    engine: 'sqlite',
    url: `sqlite:///${file}`,
    migration: { table: 'django_migrations', head: 'notes.0002_note_body' },
    exec: (sql) => sqlite(sql),
    async rows() {
      return {
        users: await table('SELECT * FROM users ORDER BY id'),
        notes: await table('SELECT * FROM notes ORDER BY id'),
        migrations: await table('SELECT * FROM django_migrations ORDER BY id'),
      };
    },
    async maxIds() {
      const [users, notes] = (await sqlite('SELECT (SELECT coalesce(max(id), 0) FROM users), (SELECT coalesce(max(id), 0) FROM notes);')).split('|');
      return { users: Number(users), notes: Number(notes) };
    },
    async insertNote(title) {
      const out = await sqlite(`INSERT INTO notes (owner_id, title, body, created_at, updated_at) VALUES (1, ${sqlText(title)}, NULL, '2025-02-01', '2025-02-01'); SELECT last_insert_rowid();`);
      return Number(out.trim());
    },
    writer() {
      const proc = execa('sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', file], { stdin: 'pipe', reject: false });
      return new ConcurrentWriter(
        proc,
        (n) =>
          `BEGIN IMMEDIATE; INSERT INTO users (email, password_hash, created_at) VALUES ('writer-${n}@example.com', 'x', datetime('now')); ` +
          `INSERT INTO notes (owner_id, title, body, created_at, updated_at) VALUES (last_insert_rowid(), 'writer ${n} ✍', NULL, datetime('now'), datetime('now')); COMMIT;`,
      );
    },
    async leftovers() {
      return readdirSync(dir).filter((name) => name.includes('.restore-'));
    },
    async keptCopies() {
      return readdirSync(dir).filter((name) => name.includes('.pre-restore-'));
    },
    async destroy() {},
  };
}

const PG_ADMIN_URL = process.env.BACKUP_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function pgUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function psql(url: string, sql: string): Promise<string> {
  return (await execa('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url], { input: sql })).stdout;
}

/** Why PostgreSQL cannot be used for these tests, or null. */
export async function postgresMissing(): Promise<string | null> {
  const tools = await missingCommands(['psql', 'pg_dump', 'pg_restore', 'createdb', 'dropdb', 'sha256sum']);
  if (tools) return tools;
  const probe = await execa('psql', ['-X', '-At', '-d', PG_ADMIN_URL, '-c', 'SELECT 1'], { reject: false });
  return probe.exitCode === 0 ? null : `PostgreSQL at ${PG_ADMIN_URL} does not answer (set BACKUP_TEST_PG_URL): ${probe.stderr}`;
}

/** A PostgreSQL database shaped like the Flask stack's (alembic_version, identity ids). */
export async function createPostgres(): Promise<TestDatabase> {
  const name = `bk_test_${randomSuffix()}`;
  await psql(PG_ADMIN_URL, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  const url = pgUrl(name);
  const migrationSql = [
    'CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));',
    "INSERT INTO alembic_version (version_num) VALUES ('3f2a1b9c0d4e');",
  ].join('\n');
  await psql(url, seedSql('INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY', migrationSql, "'2025-01-01 12:00:00'"));
  const table = async (sql: string) => JSON.parse(await psql(url, `SELECT coalesce(json_agg(t), '[]') FROM (${sql}) t`));
  const like = `${name.replaceAll('_', '\\_')}\\_%`;

  return {
    engine: 'postgresql',
    url,
    migration: { table: 'alembic_version', head: '3f2a1b9c0d4e' },
    exec: (sql) => psql(url, sql),
    async rows() {
      return {
        users: await table('SELECT * FROM users ORDER BY id'),
        notes: await table('SELECT * FROM notes ORDER BY id'),
        migrations: await table('SELECT * FROM alembic_version ORDER BY version_num'),
      };
    },
    async maxIds() {
      const [users, notes] = (await psql(url, 'SELECT (SELECT coalesce(max(id), 0) FROM users), (SELECT coalesce(max(id), 0) FROM notes)')).split('|');
      return { users: Number(users), notes: Number(notes) };
    },
    async insertNote(title) {
      const out = await psql(url, `INSERT INTO notes (owner_id, title, created_at, updated_at) VALUES (1, ${sqlText(title)}, now(), now()) RETURNING id`);
      return Number(out.trim());
    },
    writer() {
      const proc = execa('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], { stdin: 'pipe', reject: false });
      return new ConcurrentWriter(
        proc,
        (n) =>
          `BEGIN; WITH u AS (INSERT INTO users (email, password_hash, created_at) VALUES ('writer-${n}@example.com', 'x', now()) RETURNING id) ` +
          `INSERT INTO notes (owner_id, title, created_at, updated_at) SELECT id, 'writer ${n} ✍', now(), now() FROM u; COMMIT;`,
      );
    },
    async leftovers() {
      const out = await psql(PG_ADMIN_URL, `SELECT datname FROM pg_database WHERE datname LIKE '${like}' AND datname NOT LIKE '%\\_pre\\_restore\\_%' ORDER BY 1`);
      return out ? out.split('\n') : [];
    },
    async keptCopies() {
      const out = await psql(PG_ADMIN_URL, `SELECT datname FROM pg_database WHERE datname LIKE '${name}\\_pre\\_restore\\_%' ORDER BY 1`);
      return out ? out.split('\n') : [];
    },
    async destroy() {
      const all = await psql(PG_ADMIN_URL, `SELECT datname FROM pg_database WHERE datname = '${name}' OR datname LIKE '${like}'`);
      for (const db of all.split('\n').filter(Boolean)) await psql(PG_ADMIN_URL, `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    },
  };
}
