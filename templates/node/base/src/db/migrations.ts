import type { Dialect } from './database.js';

export interface Migration {
  /** Sortable and unique; applied in ascending order, each at most once. */
  version: string;
  name: string;
  sql: Record<Dialect, string>;
}

/** Append new migrations; never edit one that has been applied somewhere. */
export const migrations: readonly Migration[] = [
  {
    version: '0001',
    name: 'create users and notes',
    sql: {
      sqlite: `
        CREATE TABLE users (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          email TEXT NOT NULL UNIQUE,
          password_hash TEXT NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE notes (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          title TEXT NOT NULL,
          body TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX notes_owner_id_id_idx ON notes (owner_id, id);
      `,
      postgres: `
        CREATE TABLE users (
          id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          email text NOT NULL UNIQUE,
          password_hash text NOT NULL,
          created_at timestamptz NOT NULL
        );
        CREATE TABLE notes (
          id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          owner_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          title text NOT NULL,
          body text,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        );
        CREATE INDEX notes_owner_id_id_idx ON notes (owner_id, id);
      `,
    },
  },
];
