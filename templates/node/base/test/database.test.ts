import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase, UniqueViolationError, type Database } from '../src/db/index.js';
import { migrate } from '../src/db/migrator.js';
import { migrations } from '../src/db/migrations.js';
import { timestamptzToIso } from '../src/db/postgres.js';
import { SqliteDatabase } from '../src/db/sqlite.js';
import { parseDatabaseUrl } from '../src/db/url.js';
import { resetDatabase, testDatabaseUrl } from './helpers.js';

describe('parseDatabaseUrl', () => {
  it('resolves sqlite:/// paths against the project root', () => {
    expect(parseDatabaseUrl('sqlite:///data/app.db', '/srv/api')).toEqual({
      dialect: 'sqlite',
      filename: '/srv/api/data/app.db',
    });
  });

  it('keeps sqlite://// paths absolute', () => {
    expect(parseDatabaseUrl('sqlite:////var/lib/app.db', '/srv/api')).toEqual({
      dialect: 'sqlite',
      filename: '/var/lib/app.db',
    });
  });

  it.each(['postgresql://u:p@db:5432/app', 'postgres://u:p@db/app?sslmode=require'])(
    'sends %s to PostgreSQL',
    (url) => {
      expect(parseDatabaseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
    },
  );

  it.each(['sqlite:///', 'sqlite://relative.db', 'mysql://db/app', ''])('rejects "%s"', (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow();
  });
});

describe('migrations', () => {
  let db: Database;
  let cleanup: () => void;
  beforeAll(async () => {
    const target = testDatabaseUrl();
    cleanup = target.cleanup;
    db = openDatabase(target.url);
    await resetDatabase(db);
  });
  afterAll(async () => {
    await db.close();
    cleanup();
  });

  it('have unique, ordered versions', () => {
    const versions = migrations.map((migration) => migration.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect([...versions].sort()).toEqual(versions);
  });

  it('apply once and are recorded, then apply nothing', async () => {
    const first = await migrate(db);
    expect(first.map((migration) => migration.version)).toEqual(
      migrations.map((migration) => migration.version),
    );
    expect(await migrate(db)).toEqual([]);
    const recorded = await db.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(recorded.map((row) => row.version)).toEqual(first.map((migration) => migration.version));
  });

  it('roll a failed migration back completely', async () => {
    const broken = {
      version: '9999',
      name: 'broken',
      sql: {
        sqlite: 'CREATE TABLE half_done (id integer); SELECT * FROM no_such_table;',
        postgres: 'CREATE TABLE half_done (id integer); SELECT * FROM no_such_table;',
      },
    };
    await expect(migrate(db, [...migrations, broken])).rejects.toThrow();
    expect(await migrate(db)).toEqual([]);
    await expect(db.query('SELECT * FROM half_done')).rejects.toThrow();
  });

  it('report a unique violation as UniqueViolationError', async () => {
    const insert = 'INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)';
    const params = ['dup@example.com', 'hash', new Date().toISOString()];
    await db.query(insert, params);
    await expect(db.query(insert, params)).rejects.toBeInstanceOf(UniqueViolationError);
  });
});

describe('SQLite connection settings', () => {
  it('writes ahead, syncs at checkpoints, waits for locks and enforces foreign keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-pragmas-'));
    const db = new SqliteDatabase(join(dir, 'app.db'));
    try {
      const pragma = async (name: string) =>
        Object.values((await db.query<Record<string, unknown>>(`PRAGMA ${name}`))[0] ?? {})[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(1); // NORMAL
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await pragma('foreign_keys')).toBe(1);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite rows', () => {
  it('are plain objects keyed by column, in the order of the select list', async () => {
    const db = new SqliteDatabase(':memory:');
    try {
      const rows = await db.query<Record<string, unknown>>(
        "SELECT 2 AS b, 'x' AS a, NULL AS c UNION ALL SELECT 3, 'y', 1.5",
      );
      expect(rows.map((row) => Object.getPrototypeOf(row) as unknown)).toEqual([
        Object.prototype,
        Object.prototype,
      ]);
      expect(rows).toEqual([
        { b: 2, a: 'x', c: null },
        { b: 3, a: 'y', c: 1.5 },
      ]);
      expect(rows.map((row) => Object.keys(row).join())).toEqual(['b,a,c', 'b,a,c']);
    } finally {
      await db.close();
    }
  });

  it('follow a schema change under a statement prepared before it', async () => {
    const db = new SqliteDatabase(':memory:');
    try {
      await db.query('CREATE TABLE items (id INTEGER PRIMARY KEY)');
      await db.query('INSERT INTO items (id) VALUES (1)');
      expect(await db.query('SELECT * FROM items')).toEqual([{ id: 1 }]);
      await db.query("ALTER TABLE items ADD COLUMN label TEXT NOT NULL DEFAULT 'one'");
      expect(await db.query('SELECT * FROM items')).toEqual([{ id: 1, label: 'one' }]);
    } finally {
      await db.close();
    }
  });
});

describe('PostgreSQL timestamptz', () => {
  it.each([
    ['2026-12-01 07:54:52.019+00', '2026-12-01T07:54:52.019Z'],
    ['2026-12-01 07:54:52.01+00', '2026-12-01T07:54:52.010Z'],
    ['2026-12-01 07:54:52+00', '2026-12-01T07:54:52.000Z'],
    // Forms other than a UTC session's millisecond values go through a Date.
    ['2026-12-01 07:54:52.019756+00', '2026-12-01T07:54:52.019Z'],
    ['2026-12-01 09:54:52.019+02', '2026-12-01T07:54:52.019Z'],
    ['2026-12-01 02:24:52.019-05:30', '2026-12-01T07:54:52.019Z'],
  ])('reads %s as %s, as a Date would write it', (text, iso) => {
    expect(timestamptzToIso(text)).toBe(iso);
  });
});
