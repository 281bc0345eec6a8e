import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_MAX_IDS, createPostgres, createSqlite, postgresMissing, rowsUpTo, sqliteMissing, type Rows, type TestDatabase } from './databases.js';
import {
  ageIdentity,
  copyBackup,
  flipByte,
  missingCommands,
  readManifest,
  removeDir,
  requireOrSkip,
  resealBackup,
  run,
  runOk,
  tempDir,
  truncateFile,
} from './support.js';

type Engine = 'sqlite' | 'postgresql';
type Skip = (note?: string) => void;

/** Backup, restore and verify behaviour, the same for both engines. */
export function restoreSuite(engine: Engine): void {
  let unavailable: string | null = null;
  let work = '';
  let counter = 0;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    unavailable = engine === 'sqlite' ? await sqliteMissing() : await postgresMissing();
    work = tempDir(engine);
  });
  afterAll(async () => {
    for (const db of databases) await db.destroy();
    removeDir(work);
  });

  /** A fresh seeded database and a private backup directory, or a skip with the reason. */
  async function setup(skip: Skip, options: { wal?: boolean } = {}) {
    requireOrSkip(unavailable, skip);
    counter += 1;
    const db = engine === 'sqlite' ? await createSqlite(join(work, `db-${counter}`), options) : await createPostgres();
    databases.push(db);
    const env = { DATABASE_URL: db.url, BACKUP_DIR: join(work, `backups-${counter}`) };
    return { db, env, dir: join(work, `scratch-${counter}`) };
  }

  async function backup(env: Record<string, string>): Promise<string> {
    const result = await runOk('backup.sh', [], env);
    const file = result.stdout.trim();
    expect(existsSync(file), `backup.sh printed ${file}`).toBe(true);
    return file;
  }

  const counts = (rows: Rows) => ({ notes: rows.notes.length, users: rows.users.length });

  /** A refused or failed restore: non-zero, the expected message, and no trace on the database. */
  async function expectRestoreFails(db: TestDatabase, env: Record<string, string>, args: string[], message: RegExp): Promise<void> {
    const before = await db.rows();
    const result = await run('restore.sh', args, env);
    expect(result.exitCode, result.stderr).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(await db.rows()).toEqual(before);
    expect(await db.leftovers()).toEqual([]);
    expect(await db.keptCopies()).toEqual([]);
  }

  /** A database whose live data has moved on since its (plain) backup. */
  async function backedUpThenChanged(skip: Skip) {
    const context = await setup(skip);
    const file = await backup(context.env);
    await context.db.insertNote('written after the backup');
    return { ...context, file };
  }

  describe(`${engine}: backup and restore`, () => {
    it('round-trips while a concurrent writer inserts rows', async ({ skip }) => {
      const { db, env } = await setup(skip, { wal: engine === 'sqlite' });
      const writer = db.writer();
      writer.start(3);
      const deadline = Date.now() + 10_000;
      while ((await db.maxIds()).notes < SEED_MAX_IDS.notes + 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const file = await backup(env);
      const atBackupEnd = await db.maxIds();
      while ((await db.maxIds()).notes < atBackupEnd.notes + 20 && Date.now() < deadline + 5_000) await new Promise((r) => setTimeout(r, 20));
      await writer.stop();
      const live = await db.rows();
      const liveMax = await db.maxIds();

      const manifest = readManifest(file);
      expect(manifest).toMatchObject({ engine, file: file.split('/').pop(), migrations: db.migration });
      expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);

      await db.exec('DROP TABLE notes; DELETE FROM users;');
      const restore = await runOk('restore.sh', [file, '--yes'], env);
      expect(restore.stdout).toMatch(/restored/);

      const restored = await db.rows();
      const restoredMax = await db.maxIds();
      // The backup is one consistent snapshot taken while rows were being written: it holds
      // some writer rows, not the ones written after it, and exactly the live rows up to its ids.
      expect(restoredMax.notes).toBeGreaterThan(SEED_MAX_IDS.notes);
      expect(restoredMax.notes).toBeLessThan(liveMax.notes);
      expect(restored).toEqual(rowsUpTo(live, restoredMax));
      const writerUsers = restored.users.filter((u) => String(u.email).startsWith('writer-')).length;
      const writerNotes = restored.notes.filter((n) => String(n.title).startsWith('writer ')).length;
      expect(writerNotes).toBe(writerUsers);
      expect(manifest.row_counts).toMatchObject(counts(restored));

      expect(await db.insertNote('after restore')).toBeGreaterThan(restoredMax.notes);
      expect(await db.keptCopies()).toHaveLength(1);
      expect(await db.leftovers()).toEqual([]);
    });

    it('restores exactly the backed-up rows, and ids continue past the old maximum', async ({ skip }) => {
      const { db, env } = await setup(skip);
      const before = await db.rows();
      const file = await backup(env);
      expect(readManifest(file).row_counts).toEqual({ notes: before.notes.length, users: before.users.length, [db.migration.table]: before.migrations.length });

      await db.exec('DROP TABLE notes; DELETE FROM users;');
      await runOk('restore.sh', [file, '--yes', '--drop-old'], env);

      expect(await db.rows()).toEqual(before);
      // The seed deleted the rows with the highest ids; a new row must not reuse them.
      expect(await db.insertNote('after restore')).toBeGreaterThan(SEED_MAX_IDS.notes);
      expect(await db.keptCopies()).toEqual([]);
      expect(await db.leftovers()).toEqual([]);

      const list = await runOk('list.sh', ['--max-age', '26h'], env);
      expect(list.stdout).toContain(file.split('/').pop());
    });

    it('encrypts with age and restores with the right identity', async ({ skip }) => {
      requireOrSkip(await missingCommands(['age', 'age-keygen']), skip);
      const { db, env, dir } = await setup(skip);
      const { identity, recipient } = await ageIdentity(work, `key-${engine}`);
      const before = await db.rows();
      const file = await backup({ ...env, BACKUP_AGE_RECIPIENT: recipient });
      expect(file).toMatch(/\.age$/);
      expect(readFileSync(file).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
      expect(readManifest(file).encryption).toBe('age');

      await db.insertNote('written after the backup');
      const verify = await run('verify.sh', [file], { ...env, BACKUP_AGE_IDENTITY: identity });
      expect(verify.exitCode, verify.stderr).toBe(0);
      await runOk('restore.sh', [copyBackup(file, dir), '--yes'], { ...env, BACKUP_AGE_IDENTITY: identity });
      expect(await db.rows()).toEqual(before);
    });
  });

  describe(`${engine}: a restore that must not happen leaves the live database unchanged`, () => {
    it('refuses a backup with one flipped byte', async ({ skip }) => {
      const { db, env, file, dir } = await backedUpThenChanged(skip);
      const broken = copyBackup(file, dir);
      flipByte(broken, Math.floor(readFileSync(broken).length / 2));
      await expectRestoreFails(db, env, [broken, '--yes'], /checksum mismatch/);
    });

    it('refuses a truncated backup whose checksums were recomputed to match', async ({ skip }) => {
      const { db, env, file, dir } = await backedUpThenChanged(skip);
      const broken = copyBackup(file, dir);
      truncateFile(broken, 0.6);
      resealBackup(broken);
      const scratchCheck = engine === 'sqlite' ? /integrity check of the restored copy failed/ : /pg_restore of .* into scratch database .* failed/;
      await expectRestoreFails(db, env, [broken, '--yes'], scratchCheck);
    });

    it('refuses an encrypted backup given the wrong age identity', async ({ skip }) => {
      requireOrSkip(await missingCommands(['age', 'age-keygen']), skip);
      const { db, env } = await setup(skip);
      const right = await ageIdentity(work, `right-${engine}-${counter}`);
      const wrong = await ageIdentity(work, `wrong-${engine}-${counter}`);
      const file = await backup({ ...env, BACKUP_AGE_RECIPIENT: right.recipient });
      await db.insertNote('written after the backup');
      await expectRestoreFails(db, { ...env, BACKUP_AGE_IDENTITY: wrong.identity }, [file, '--yes'], /cannot decrypt/);
    });

    it('refuses without --yes', async ({ skip }) => {
      const { db, env, file } = await backedUpThenChanged(skip);
      await expectRestoreFails(db, env, [file], /refusing to restore without --yes/);
    });

    it('refuses in production without the override, and restores with it', async ({ skip }) => {
      const { db, env, file } = await backedUpThenChanged(skip);
      const production = { ...env, APP_ENV: 'production' };
      await expectRestoreFails(db, production, [file, '--yes'], /refusing to restore in production/);
      await expectRestoreFails(db, { ...production, BACKUP_ALLOW_PRODUCTION_RESTORE: 'no' }, [file, '--yes'], /refusing to restore in production/);

      const changed = await db.rows();
      await runOk('restore.sh', [file, '--yes', '--allow-production', '--drop-old'], production);
      const restored = await db.rows();
      expect(restored).not.toEqual(changed);
      expect(restored.notes).toHaveLength(changed.notes.length - 1);

      await db.insertNote('written after the first restore');
      await runOk('restore.sh', [file, '--yes'], { ...production, BACKUP_ALLOW_PRODUCTION_RESTORE: 'true' });
      expect(await db.rows()).toEqual(restored);
    });
  });

  describe(`${engine}: verify`, () => {
    it('passes a good backup, the newest by default', async ({ skip }) => {
      const { db, env } = await setup(skip);
      const file = await backup(env);
      const before = await db.rows();
      const newest = await run('verify.sh', [], env);
      expect(newest.exitCode, newest.stderr).toBe(0);
      expect(newest.stdout).toMatch(new RegExp(`^ok: ${file.split('/').pop()!.replaceAll('.', '\\.')} restores cleanly`));
      expect((await run('verify.sh', [file], env)).exitCode).toBe(0);
      expect(await db.rows()).toEqual(before);
      expect(await db.leftovers()).toEqual([]);
    });

    it('fails when the manifest row counts do not match the backup', async ({ skip }) => {
      const { db, env } = await setup(skip);
      const file = await backup(env);
      const manifest = readManifest(file);
      manifest.row_counts.users += 1;
      writeFileSync(`${file}.json`, JSON.stringify(manifest, null, 2));
      const result = await run('verify.sh', [file], env);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/does not match its manifest/);
      expect(result.stderr).toMatch(/rows\tusers\t/);
      expect(await db.leftovers()).toEqual([]);
    });

    it('fails on a corrupted backup', async ({ skip }) => {
      const { env } = await setup(skip);
      const file = await backup(env);
      flipByte(file, 100);
      const result = await run('verify.sh', [], env);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/checksum mismatch/);
    });
  });
}
