import type { Database } from './database.js';
import { migrations as allMigrations, type Migration } from './migrations.js';

const CREATE_MIGRATIONS_TABLE = {
  sqlite:
    'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT',
  postgres:
    'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)',
} as const;

/**
 * Applies the migrations not yet recorded in `schema_migrations` and returns them; running it again
 * applies nothing. Each migration commits together with its record (both databases have
 * transactional DDL), so a failure leaves nothing half-done. Two concurrent runs cannot both apply
 * a version: the second one fails on the primary key and changes nothing.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = allMigrations,
): Promise<Migration[]> {
  await db.query(CREATE_MIGRATIONS_TABLE[db.dialect]);
  const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((row) => row.version));
  const pending = [...migrations]
    .sort((a, b) => a.version.localeCompare(b.version))
    .filter((migration) => !applied.has(migration.version));

  for (const migration of pending) {
    await db.transaction([
      { sql: migration.sql[db.dialect] },
      {
        sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
        params: [migration.version, migration.name, new Date().toISOString()],
      },
    ]);
  }
  return pending;
}
