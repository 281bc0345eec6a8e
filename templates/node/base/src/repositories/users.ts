import { UniqueViolationError, type Database } from '../db/index.js';

export interface User {
  id: number;
  email: string;
  passwordHash: string;
}

interface UserRow {
  id: number;
  email: string;
  password_hash: string;
}

const COLUMNS = 'id, email, password_hash';

export class UserRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Creates the user, or returns `undefined` when the email is taken. */
  async create(email: string, passwordHash: string): Promise<User | undefined> {
    try {
      const [row] = await this.#db.query<UserRow>(
        `INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?) RETURNING ${COLUMNS}`,
        [email, passwordHash, new Date().toISOString()],
      );
      return row && toUser(row);
    } catch (error) {
      if (error instanceof UniqueViolationError) return undefined;
      throw error;
    }
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const [row] = await this.#db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = ?`, [
      email,
    ]);
    return row && toUser(row);
  }

  async exists(id: number): Promise<boolean> {
    const rows = await this.#db.query('SELECT 1 AS found FROM users WHERE id = ?', [id]);
    return rows.length > 0;
  }

  async findById(id: number): Promise<User | undefined> {
    const [row] = await this.#db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`, [id]);
    return row && toUser(row);
  }
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, passwordHash: row.password_hash };
}
