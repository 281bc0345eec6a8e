import { isAbsolute, resolve } from 'node:path';

import { projectRoot } from '../paths.js';

export type DatabaseTarget =
  { dialect: 'sqlite'; filename: string } | { dialect: 'postgres'; connectionString: string };

const SQLITE_PREFIX = 'sqlite:///';

/**
 * Parses a SQLAlchemy-style DATABASE_URL: `sqlite:///data/app.db` is relative to the project root,
 * `sqlite:////var/lib/app.db` (four slashes) is absolute, `sqlite:///:memory:` is in memory;
 * `postgresql://` and `postgres://` URLs go to PostgreSQL as they are.
 */
export function parseDatabaseUrl(url: string, root = projectRoot): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', connectionString: url };
  if (url.startsWith(SQLITE_PREFIX)) {
    const path = decodeURIComponent(url.slice(SQLITE_PREFIX.length).split('?')[0] ?? '');
    if (path === '') throw new Error('names no SQLite file (expected sqlite:///data/app.db)');
    if (path === ':memory:') return { dialect: 'sqlite', filename: path };
    return { dialect: 'sqlite', filename: isAbsolute(path) ? path : resolve(root, path) };
  }
  throw new Error('must start with sqlite:///, postgresql:// or postgres://');
}

/** A printable description of the target, without credentials. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return `SQLite ${target.filename}`;
  const url = new URL(target.connectionString);
  return `PostgreSQL ${url.host}${url.pathname}`;
}
