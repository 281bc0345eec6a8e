import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLOutputValue, type StatementSync } from 'node:sqlite';

import { UniqueViolationError, type Database, type SqlValue, type Statement } from './database.js';

/**
 * WAL lets readers (a backup, a migration run) work while the server writes. In WAL mode,
 * `synchronous = NORMAL` syncs at checkpoints rather than on every commit: the calls are
 * synchronous, so each fsync would stall every request, and a commit can then only be lost to a
 * power failure or OS crash, never to the process dying; the database stays consistent either
 * way. busy_timeout waits for another process's lock instead of failing at once.
 */
export const SQLITE_PRAGMAS =
  'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; ' +
  'PRAGMA foreign_keys = ON';

/** A prepared statement and the names of the columns it answers (none for most writes). */
interface Prepared {
  readonly statement: StatementSync;
  columns: readonly string[];
}

// Extended result codes of SQLite: SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE.
const UNIQUE_ERRCODES = new Set([1555, 2067]);

/**
 * SQLite through the built-in `node:sqlite` module: nothing to compile or download. Calls are
 * synchronous and take microseconds; the async interface keeps repositories driver-agnostic.
 */
export class SqliteDatabase implements Database {
  readonly dialect = 'sqlite';
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, Prepared>();
  #open = true;

  constructor(filename: string) {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    this.#db = new DatabaseSync(filename);
    this.#db.exec(SQLITE_PRAGMAS);
  }

  query<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return attempt(() => {
      const prepared = this.#prepare(sql);
      const rows = prepared.statement.all(...params.map(toSqlite)) as unknown as SQLOutputValue[][];
      // After a schema change SQLite prepares the statement again, and a `SELECT *` may then
      // answer more or fewer columns than it did when they were named.
      if (rows[0] !== undefined && rows[0].length !== prepared.columns.length) {
        prepared.columns = columnNames(prepared.statement);
      }
      return rows.map((values) => toRow(prepared.columns, values) as Row);
    });
  }

  transaction(statements: readonly Statement[]): Promise<void> {
    return attempt(() => {
      // Synchronous from BEGIN to COMMIT, so no other request can interleave its statements.
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        for (const { sql, params } of statements) {
          if (params) this.#prepare(sql).statement.run(...params.map(toSqlite));
          else this.#db.exec(sql);
        }
        this.#db.exec('COMMIT');
      } catch (error) {
        rollback(() => {
          this.#db.exec('ROLLBACK');
        });
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return attempt(() => {
      if (this.#open) this.#db.close();
      this.#open = false;
    });
  }

  #prepare(sql: string): Prepared {
    let prepared = this.#statements.get(sql);
    if (!prepared) {
      const statement = this.#db.prepare(sql);
      statement.setReturnArrays(true);
      prepared = { statement, columns: columnNames(statement) };
      this.#statements.set(sql, prepared);
    }
    return prepared;
  }
}

function columnNames(statement: StatementSync): string[] {
  return statement.columns().map((column) => column.name);
}

/**
 * node:sqlite would build each row as an object without a prototype, which V8 keeps as a hash
 * table: every later read of a field is a lookup. Rows read as arrays and keyed here share one
 * shape per statement, which halves what reading and answering a page of rows costs.
 */
function toRow(columns: readonly string[], values: readonly SQLOutputValue[]): object {
  const row: Record<string, SQLOutputValue> = {};
  columns.forEach((name, index) => {
    row[name] = values[index] ?? null;
  });
  return row;
}

/** SQLite has no boolean type: a boolean column is an INTEGER holding 0 or 1. */
function toSqlite(value: SqlValue): Exclude<SqlValue, boolean> {
  return typeof value === 'boolean' ? Number(value) : value;
}

/** A failed ROLLBACK (SQLite may already have rolled back) must not hide the original error. */
function rollback(run: () => void): void {
  try {
    run();
  } catch {
    // The transaction is over either way.
  }
}

function attempt<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(translate(error));
  }
}

function translate(error: unknown): Error {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode === 'number' && UNIQUE_ERRCODES.has(errcode)) {
    return new UniqueViolationError({ cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
