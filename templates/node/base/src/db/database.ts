export type Dialect = 'sqlite' | 'postgres';
/** A bound parameter. Booleans are stored as 0/1 where the database has no boolean type. */
export type SqlValue = string | number | boolean | null;

export interface Statement {
  sql: string;
  params?: readonly SqlValue[];
}

/**
 * The small surface the repositories and the migration runner need. SQL is written once with `?`
 * placeholders; each driver adapts it to its own syntax.
 */
export interface Database {
  readonly dialect: Dialect;
  /** Runs one statement and returns its rows (an empty array when it returns none). */
  query<Row extends object>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /**
   * Runs statements in one transaction. A statement without params may hold several SQL commands
   * (a migration script).
   */
  transaction(statements: readonly Statement[]): Promise<void>;
  close(): Promise<void>;
}

/** A UNIQUE constraint rejected the write; repositories turn it into a domain answer (409). */
export class UniqueViolationError extends Error {
  constructor(options?: ErrorOptions) {
    super('unique constraint violated', options);
    this.name = 'UniqueViolationError';
  }
}
