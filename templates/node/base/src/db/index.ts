import type { Database } from './database.js';
import { PostgresDatabase, type PostgresOptions } from './postgres.js';
import { SqliteDatabase } from './sqlite.js';
import { parseDatabaseUrl } from './url.js';

export type { Database, Dialect, SqlValue, Statement } from './database.js';
export { UniqueViolationError } from './database.js';

/** Opens the database a DATABASE_URL names. PostgreSQL connects lazily, on the first query. */
export function openDatabase(url: string, options: PostgresOptions = {}): Database {
  const target = parseDatabaseUrl(url);
  return target.dialect === 'postgres'
    ? new PostgresDatabase(target.connectionString, options)
    : new SqliteDatabase(target.filename);
}
