import { execa } from 'execa';
import { readFile, rm } from 'node:fs/promises';
import { expect } from 'vitest';
import { createDatabase, dropDatabase, psql } from './database.js';
import { postgresFingerprint, sqliteFingerprint } from './fingerprint.js';
import { startServer, type Project, type RunningServer } from './project.js';

interface ApiUser {
  readonly email: string;
  readonly password: string;
  token: string;
}

async function api(server: RunningServer, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

async function login(server: RunningServer, user: ApiUser): Promise<void> {
  const result = await api(server, 'POST', '/api/v1/auth/login', undefined, { email: user.email, password: user.password });
  expect(result.status, `login ${user.email}`).toBe(200);
  user.token = (result.json as { access_token: string }).access_token;
}

/** Everything a user sees through the API: the proof, from the outside, that data survived. */
async function visibleState(server: RunningServer, users: readonly ApiUser[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const user of users) {
    out.push((await api(server, 'GET', '/api/v1/auth/me', user.token)).json);
    out.push((await api(server, 'GET', '/api/v1/notes?limit=100', user.token)).json);
  }
  return out;
}

const TITLES = ['Grüße aus Zürich', '東京の天気 ☔', 'emoji 😀🎉 and "quotes"', "O'Reilly; DROP TABLE notes; --", 'plain'];

/**
 * The backup proof through the running app: data created over HTTP (Unicode, NULLs, several
 * users, deleted notes), a backup taken while a writer is active, the database wiped, restored,
 * and then the same data seen through the API and in a logical fingerprint; ids continue past
 * the old maximum and a seeded user can still log in.
 */
export async function backupRoundTrip(project: Project, runtimeEnv: Record<string, string>, db: 'sqlite' | 'postgres', sqliteFile: string, backupDir: string): Promise<void> {
  const env = { ...runtimeEnv, BACKUP_DIR: backupDir };
  const run = async (script: string, args: string[] = []): Promise<{ exitCode: number | undefined; out: string }> => {
    const result = await execa('bash', [`ops/backup/${script}`, ...args], { cwd: project.dir, env: { ...project.env, ...env }, extendEnv: false, all: true, reject: false });
    return { exitCode: result.exitCode, out: String(result.all) };
  };
  const dbName = db === 'postgres' ? new URL(runtimeEnv.DATABASE_URL!).pathname.slice(1) : '';
  const fingerprint = (): Promise<string> => (db === 'postgres' ? postgresFingerprint(dbName) : sqliteFingerprint(sqliteFile));

  let server = await startServer(project, env);
  const users: ApiUser[] = [0, 1, 2].map((i) => ({ email: `owner${i}.${Date.now()}@example.test`, password: `correct horse battery ${i}`, token: '' }));
  let maxId = 0;
  try {
    for (const [i, user] of users.entries()) {
      expect((await api(server, 'POST', '/api/v1/auth/register', undefined, { email: user.email, password: user.password })).status).toBe(201);
      await login(server, user);
      for (const [j, title] of TITLES.entries()) {
        const created = await api(server, 'POST', '/api/v1/notes', user.token, j % 2 === 0 ? { title: `${title} #${i}` } : { title, body: `body ${j} — ✓\nsecond line` });
        expect(created.status).toBe(201);
        const note = created.json as { id: number; body: string | null };
        if (j % 2 === 0) expect(note.body).toBeNull();
        maxId = Math.max(maxId, note.id);
        if (j === 3) expect((await api(server, 'DELETE', `/api/v1/notes/${note.id}`, user.token)).status).toBe(204);
      }
    }
    const before = await visibleState(server, users);

    // A writer keeps inserting while the backup runs: the backup must still be one consistent snapshot.
    const writer: ApiUser = { email: `writer.${Date.now()}@example.test`, password: 'writer password 123', token: '' };
    await api(server, 'POST', '/api/v1/auth/register', undefined, { email: writer.email, password: writer.password });
    await login(server, writer);
    let writing = true;
    let written = 0;
    const writerLoop = (async () => {
      while (writing) {
        const r = await api(server, 'POST', '/api/v1/notes', writer.token, { title: `concurrent ${written}` });
        if (r.status === 201) written++;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const backup = await run('backup.sh');
    writing = false;
    await writerLoop;
    expect(backup.exitCode, backup.out).toBe(0);
    expect(written, 'the writer was active during the backup').toBeGreaterThan(0);
    const file = backup.out.trim().split('\n').at(-1)!;
    const manifest = JSON.parse(await readFile(`${file}.json`, 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(manifest)).toMatch(/notes/);

    // The backup's own content, for comparison after the restore.
    let expected: string;
    if (db === 'sqlite') expected = await sqliteFingerprint(file);
    else {
      const scratch = await createDatabase('cb_e2e_expected');
      try {
        await execa('pg_restore', ['--no-owner', '--exit-on-error', '-h', '127.0.0.1', '-U', 'postgres', '-d', scratch.name, file]);
        expected = await postgresFingerprint(scratch.name);
      } finally {
        await dropDatabase(scratch.name);
      }
    }

    // Wipe the database with the app stopped, as an operator would before a restore.
    expect(await server.stop()).toBe(0);
    if (db === 'sqlite') await rm(sqliteFile, { force: true });
    else await psql(dbName, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const refused = await run('restore.sh', [file]);
    expect(refused.exitCode, 'restore without --yes is refused').not.toBe(0);

    const restored = await run('restore.sh', [file, '--yes', '--allow-production', '--drop-old']);
    expect(restored.exitCode, restored.out).toBe(0);
    expect(await fingerprint(), 'restored data is identical to the backup').toBe(expected);

    server = await startServer(project, env);
    for (const user of users) await login(server, user); // seeded users can still log in
    expect(await visibleState(server, users)).toEqual(before);
    const next = await api(server, 'POST', '/api/v1/notes', users[0]!.token, { title: 'after restore' });
    expect(next.status).toBe(201);
    expect((next.json as { id: number }).id, 'ids continue past the old maximum').toBeGreaterThan(maxId);
  } finally {
    await server.stop();
  }
}
