import type { Database, SqlValue } from '../db/index.js';

export interface Note {
  id: number;
  ownerId: number;
  title: string;
  body: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NotePatch {
  title?: string;
  body?: string | null;
}

export interface NotePage {
  items: Note[];
  total: number;
}

interface NoteRow {
  id: number;
  owner_id: number;
  title: string;
  body: string | null;
  // PostgreSQL's timestamptz arrives as a Date, SQLite's TEXT as the ISO string it was stored as.
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, owner_id, title, body, created_at, updated_at';

/** Every query is scoped to the owner: another user's note is indistinguishable from none. */
export class NoteRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async list(ownerId: number, limit: number, offset: number): Promise<NotePage> {
    const rows = await this.#db.query<NoteRow>(
      `SELECT ${COLUMNS} FROM notes WHERE owner_id = ? ORDER BY id LIMIT ? OFFSET ?`,
      [ownerId, limit, offset],
    );
    const [count] = await this.#db.query<{ total: number | string }>(
      'SELECT count(*) AS total FROM notes WHERE owner_id = ?',
      [ownerId],
    );
    // PostgreSQL returns count(*) as a bigint string.
    return { items: rows.map(toNote), total: Number(count?.total ?? 0) };
  }

  async create(ownerId: number, title: string, body: string | null): Promise<Note> {
    const now = new Date().toISOString();
    const [row] = await this.#db.query<NoteRow>(
      `INSERT INTO notes (owner_id, title, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      [ownerId, title, body, now, now],
    );
    if (!row) throw new Error('INSERT … RETURNING returned no row');
    return toNote(row);
  }

  async get(ownerId: number, id: number): Promise<Note | undefined> {
    const [row] = await this.#db.query<NoteRow>(
      `SELECT ${COLUMNS} FROM notes WHERE id = ? AND owner_id = ?`,
      [id, ownerId],
    );
    return row && toNote(row);
  }

  /** Changes only the fields present in `patch`; `undefined` when there is no such note. */
  async update(ownerId: number, id: number, patch: NotePatch): Promise<Note | undefined> {
    const assignments = ['updated_at = ?'];
    const params: SqlValue[] = [new Date().toISOString()];
    if (patch.title !== undefined) {
      assignments.push('title = ?');
      params.push(patch.title);
    }
    if (patch.body !== undefined) {
      assignments.push('body = ?');
      params.push(patch.body);
    }
    const [row] = await this.#db.query<NoteRow>(
      `UPDATE notes SET ${assignments.join(', ')} WHERE id = ? AND owner_id = ? RETURNING ${COLUMNS}`,
      [...params, id, ownerId],
    );
    return row && toNote(row);
  }

  /** `true` when a note was deleted. */
  async delete(ownerId: number, id: number): Promise<boolean> {
    const rows = await this.#db.query<{ id: number }>(
      'DELETE FROM notes WHERE id = ? AND owner_id = ? RETURNING id',
      [id, ownerId],
    );
    return rows.length > 0;
  }
}

function toNote(row: NoteRow): Note {
  return {
    id: row.id,
    ownerId: row.owner_id,
    title: row.title,
    body: row.body,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}
