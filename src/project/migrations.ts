import type { BaseEntry, BaseSource } from '../engine/base.js';
import type { PlannedFile } from '../engine/plan.js';
import type { StackId } from '../answers/questions.js';
import { compareVersions } from './version.js';

/**
 * A template change that a file merge cannot express, applied by `update` before it merges:
 * a file that moved keeps the user's edits at its new path. Keyed by the version that made the
 * change, like copier's migrations: a project made before `version` gets it.
 */
export interface UpdateMigration {
  readonly version: string;
  readonly description: string;
  /** `[old path, new path]`: the user's file (and its base) move with it. */
  readonly renames: readonly (readonly [string, string])[];
  /** What the user must do that no file change can (e.g. to a database), per stack. */
  readonly notices?: Partial<Record<StackId, string>>;
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly UpdateMigration[] = [
  {
    version: '0.2.0',
    description: 'notes became the first generated resource: its table has a migration of its own',
    renames: [],
    notices: {
      flask:
        'A database created by 0.1.0 already has the notes table (its revision 0001 made users and notes; now 0001 makes users and 0002 notes). Mark it once, before migrating: `.venv/bin/alembic stamp 0002`. A new database needs nothing.',
      node:
        "A database created by 0.1.0 already has the notes table (its migration 0001 made users and notes; now 0002 makes notes). Record that once, before `npm run migrate`: `INSERT INTO schema_migrations (version, name, applied_at) VALUES ('0002', 'create notes', '2026-01-01T00:00:00Z');` (sqlite3 data/app.db, or psql). A new database needs nothing.",
    },
  },
  {
    version: '0.3.0',
    description: 'one rate-limit table for the login throttle, the per-address cap and the registration limit',
    renames: [],
    notices: {
      php:
        'A database created by 0.2.0 has the old `login_throttle` table and no `rate_limits` table (migration 0001 changed, and it has run already). Create it once, before starting: `CREATE TABLE rate_limits (key TEXT PRIMARY KEY, hits INTEGER NOT NULL, window_end INTEGER NOT NULL);` (PostgreSQL: `bigint` for `window_end`), then `DROP TABLE login_throttle;`. A new database needs nothing.',
      flask:
        'A SQLite database created by 0.2.0 can give a deleted user\'s id to the next account (its users table lacks AUTOINCREMENT, which new databases get), and a token of the deleted user, valid for up to 15 minutes, would then open that account. The API deletes no users; if you delete users by hand, rebuild the users table with AUTOINCREMENT (copy, drop, rename) or pause sign-ups for 15 minutes. PostgreSQL databases are not affected.',
    },
  },
  {
    version: '0.4.0',
    description: 'the Django admin only with --admin yes; Python projects install with uv; limits shared through Redis',
    renames: [],
    notices: {
      django:
        'The Django admin is now generated only for projects answered `admin: yes`, at DJANGO_ADMIN_PATH. A project that records `admin: no` (the default) loses it in this update (accounts/admin.py, its URL and app; a file you edited is kept and reported). To keep it, set `"admin": "yes"` in .create-backend.json and a long random DJANGO_ADMIN_PATH in .env before updating (`update --dry-run` shows the change first). Dependencies are now in pyproject.toml with uv.lock (`uv sync --locked`); requirements*.txt stay for pip.',
      flask: 'Dependencies are now in pyproject.toml with uv.lock (`uv sync --locked`); requirements*.txt stay for pip. Reinstall: the rate limits can be shared through Redis (REDIS_URL) and the redis package is new.',
      node: 'Reinstall: the rate limits can be shared through Redis (REDIS_URL) and ioredis is a new dependency.',
      php: 'The rate limits can be shared through Redis (REDIS_URL), which needs the PHP redis extension (Debian: php8.2-redis); without REDIS_URL nothing changes.',
    },
  },
  {
    version: '0.5.0',
    description: 'bounded under load: overload answered 503 with Retry-After, SQLite in WAL mode, cheaper authenticated reads',
    renames: [],
    notices: {
      node:
        'Reinstall: @fastify/under-pressure is a new dependency and jose is now a dev dependency only. MAX_EVENT_LOOP_DELAY_MS (200; 0 turns it off) sheds load with 503 and Retry-After, floods of connections included. SQLite now runs in WAL mode: copy the database with `sqlite3 data/app.db ".backup file"` (as the backup script does), not by copying the file alone.',
      django:
        'GUNICORN_QUEUE_TIMEOUT (0.5 s) answers 503 with Retry-After to a request that waited that long for a thread while a standing queue remains. SQLite now runs in WAL mode: copy the database with `sqlite3 ... ".backup file"` (as the backup script does), not by copying the file alone. Resource views now write their answers with `represent()` from their serializers module and read the list in plain SQL: a conflict in a resource you generated earlier is resolved by taking the new form.',
      flask:
        'GUNICORN_THREADS is now 8 by default, and REQUEST_QUEUE_TIMEOUT_MS (500) answers 503 with Retry-After to a request that waited that long for a thread while a standing queue remains. SQLite now runs in WAL mode: copy the database with `sqlite3 ... ".backup file"` (as the backup script does), not by copying the file alone. Views get the caller\'s id from `current_user_id()` (no query); `current_user()` still loads the account. Resource routes now read rows with `to_dict(row)` from their models module: a conflict in a resource you generated earlier is resolved by taking the new form.',
      php: 'PHP_FPM_WORKERS must now be 1 to 8 (bin/serve refuses more: add instances instead); nginx answers 503 with Retry-After beyond 16 requests per worker. bin/serve compiles .env, the container and the routes at each start: restart it after editing .env.',
    },
  },
  {
    version: '0.6.0',
    description: 'cheaper reads of rows: on Node SQLite rows as arrays and PostgreSQL timestamps as text, on Flask a SQLite page in one row and a connection per thread; Node answers liveness probes before Fastify',
    renames: [],
    notices: {
      flask:
        'The database pool now keeps one connection per Gunicorn thread (GUNICORN_THREADS, 8 by default) instead of SQLAlchemy\'s 5, so each worker may hold that many PostgreSQL connections: keep WEB_CONCURRENCY × GUNICORN_THREADS × instances below the server\'s max_connections. On PostgreSQL, reads outside a session (`db_connection()`) now run in autocommit; a session started after them still gets its transaction, but code of your own that writes through `db_connection()` without a session now commits each statement at once. Lists read their page through app/pages.py (PageQuery): on SQLite the page comes back as one JSON row; a column of a type it does not know (a REAL, or a type of your own) keeps that table on the row-by-row path.',
      node: 'Node.js 22.16 or newer is now required (package.json `engines`): the SQLite driver reads rows with node:sqlite\'s setReturnArrays() and columns(). Timestamps now come from PostgreSQL as ISO 8601 text, as from SQLite, instead of Date objects: code of your own that reads a timestamptz column through `db.query` gets a string. A plain `GET /health` is now answered by the HTTP server before Fastify (src/http/liveness.ts): a hook you added no longer sees those probes. The logger\'s redaction paths moved from src/app.ts to `REDACT` in src/http/logging.ts: paths you added in app.ts belong there now.',
    },
  },
];

/** The migrations a project made by `from` needs to reach `to`. */
export function migrationsBetween(from: string, to: string, all: readonly UpdateMigration[] = MIGRATIONS): UpdateMigration[] {
  return all.filter((m) => compareVersions(m.version, from) > 0 && compareVersions(m.version, to) <= 0);
}

/** The project seen through its migrations: reads and base lookups of a new path find the old file. */
export interface MigratedView {
  readonly readOurs: (path: string) => Buffer | undefined;
  readonly base: BaseSource;
  /** Each moved file: new path → old path. The old one is removed once the new one is written. */
  readonly moved: ReadonlyMap<string, string>;
}

/** Applies renames to the view of the disk and of the base that the planner reads. */
export function migratedView(migrations: readonly UpdateMigration[], readOurs: (path: string) => Buffer | undefined, base: BaseSource): MigratedView {
  const renames = new Map<string, string>();
  for (const m of migrations) for (const [from, to] of m.renames) renames.set(to, from);
  const moved = new Map<string, string>();
  for (const [to, from] of renames) if (readOurs(from) !== undefined && readOurs(to) === undefined) moved.set(to, from);
  const olds = new Set(moved.values());
  const source = (path: string): string => moved.get(path) ?? path;
  return {
    moved,
    readOurs: (path) => (olds.has(path) ? undefined : readOurs(source(path))),
    base: {
      paths: () => [...new Set(base.paths().map((p) => [...renames].find(([, from]) => from === p)?.[0] ?? p))].sort(),
      get: (path): BaseEntry => base.get(source(path)),
    },
  };
}

/**
 * Completes a plan made through a migrated view: a moved file the merge would leave alone
 * (`kept`, `identical`) must still be written at its new path, and every old path is removed.
 */
export function completeMoves(plan: readonly PlannedFile[], view: MigratedView): PlannedFile[] {
  const out = plan.map((entry): PlannedFile => {
    const from = view.moved.get(entry.path);
    if (!from || (entry.status !== 'kept' && entry.status !== 'identical')) return entry;
    const content = view.readOurs(entry.path)!;
    return { path: entry.path, status: 'update', file: { content, mode: 0o644 }, note: `moved from ${from}` };
  });
  for (const [to, from] of view.moved) out.push({ path: from, status: 'delete', note: `moved to ${to}` });
  return out;
}
