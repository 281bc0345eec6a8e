import { execa } from 'execa';
import { psql } from './database.js';

/**
 * A logical fingerprint of a database: every table's rows, as JSON, in a stable order. Two
 * databases with the same fingerprint hold the same data, whatever their physical layout.
 */
export async function sqliteFingerprint(file: string): Promise<string> {
  const script = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in db.execute("select name from sqlite_master where type='table' and name not like 'sqlite_%' order by name")]
out = {}
for t in tables:
    rows = [json.dumps(list(r), ensure_ascii=False, default=str) for r in db.execute(f'select * from "{t}"')]
    out[t] = sorted(rows)
seq = {}
try:
    seq = dict(db.execute("select name, seq from sqlite_sequence"))
except sqlite3.OperationalError:
    pass
print(json.dumps({"tables": out, "sequences": seq}, ensure_ascii=False, sort_keys=True))
`;
  return (await execa('python3', ['-c', script, file])).stdout;
}

/** The same for a PostgreSQL database (public schema, including identity sequence positions). */
export async function postgresFingerprint(database: string): Promise<string> {
  const tables = (await psql(database, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")).split('\n').filter(Boolean);
  const parts: string[] = [];
  for (const table of tables) {
    parts.push(`${table}:${await psql(database, `SELECT coalesce(json_agg(r ORDER BY r::text), '[]') FROM (SELECT row_to_json(t)::text AS r FROM "${table}" t) s`)}`);
  }
  const sequences = await psql(database, "SELECT coalesce(json_agg(s ORDER BY s::text), '[]') FROM (SELECT sequencename || '=' || coalesce(last_value, 0) AS s FROM pg_sequences WHERE schemaname = 'public') x");
  return `${parts.join('\n')}\nsequences:${sequences}`;
}
