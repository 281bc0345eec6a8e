import pg from 'pg';

import { UniqueViolationError, type Database, type SqlValue, type Statement } from './database.js';

const UNIQUE_VIOLATION = '23505';

// How PostgreSQL writes a timestamptz in a session whose TimeZone is UTC (its default, and the
// official image's), to at most the millisecond, as this API stores them.
const UTC_TIMESTAMPTZ = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?\+00$/;
const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (
  text: string,
) => unknown;

/**
 * A timestamptz as the text the API answers (`Date.prototype.toISOString()`'s form). The usual
 * case is rewritten as text: a Date per value was a tenth of what a page of rows cost. Any other
 * form (another session time zone, microseconds, infinity) goes through a Date, as before.
 */
export function timestamptzToIso(text: string): string {
  const match = UTC_TIMESTAMPTZ.exec(text);
  if (match) return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(3, '0')}Z`;
  const parsed = parseTimestamptz(text);
  return parsed instanceof Date && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : text;
}

/**
 * Rows arrive with the same JavaScript types as from SQLite: a bigint (64-bit columns, count(*))
 * as a number, exact because the API keeps integers within ±(2^53 − 1); a date as its
 * `YYYY-MM-DD` text rather than a Date at local midnight; a timestamptz as ISO 8601 text in UTC.
 */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, Number);
types.setTypeParser(pg.types.builtins.DATE, (value) => value);
types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, timestamptzToIso);

export interface PostgresOptions {
  /** Called when an idle pooled connection fails (e.g. the server restarted); the pool replaces it. */
  onIdleError?: (error: Error) => void;
}

/** PostgreSQL through a `pg` connection pool. */
export class PostgresDatabase implements Database {
  readonly dialect = 'postgres';
  readonly #pool: pg.Pool;
  // Each distinct statement gets a name once: every connection then parses and plans it on first
  // use only, instead of on every request.
  readonly #prepared = new Map<string, { name: string; text: string }>();

  constructor(connectionString: string, options: PostgresOptions = {}) {
    this.#pool = new pg.Pool({
      connectionString,
      types,
      max: 10,
      // Fail fast (and let /ready answer 503) instead of queueing forever when the server is down.
      connectionTimeoutMillis: 5_000,
    });
    // Without a listener, an idle client's error would crash the process.
    this.#pool.on('error', options.onIdleError ?? (() => undefined));
  }

  async query<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    try {
      const result = await this.#pool.query<Row>({ ...this.#statement(sql), values: [...params] });
      return result.rows;
    } catch (error) {
      throw translate(error);
    }
  }

  async transaction(statements: readonly Statement[]): Promise<void> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      for (const { sql, params } of statements) {
        await (params ? client.query(toPositional(sql), [...params]) : client.query(sql));
      }
      await client.query('COMMIT');
    } catch (error) {
      // When even ROLLBACK fails the connection is unusable: drop it rather than pool it, and
      // report the original error.
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw translate(error);
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }

  #statement(sql: string): { name: string; text: string } {
    let statement = this.#prepared.get(sql);
    if (!statement) {
      statement = { name: `s${this.#prepared.size + 1}`, text: toPositional(sql) };
      this.#prepared.set(sql, statement);
    }
    return statement;
  }
}

/** `?` placeholders to PostgreSQL's `$1, $2, …` (the SQL in this project has no literal `?`). */
function toPositional(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

function translate(error: unknown): unknown {
  if ((error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION) {
    return new UniqueViolationError({ cause: error });
  }
  return error;
}
