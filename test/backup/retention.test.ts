import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDir, missingCommands, removeDir, requireOrSkip, run, snapshotDir, stampOf, tempDir, writeSyntheticBackup } from './support.js';

let unavailable: string | null = null;
let work = '';
let counter = 0;
beforeAll(async () => {
  unavailable = await missingCommands(['sha256sum']);
  work = tempDir('retention');
});
afterAll(() => removeDir(work));

const newDir = () => join(work, `backups-${(counter += 1)}`);
const backupsIn = (dir: string) => listDir(dir).filter((n) => n.endsWith('.sqlite3'));
const DAY = 86_400_000;

/**
 * ~135 backups from 2024-12-01 to 2025-03-31 (across a year boundary): one at 02:00 on most
 * days, a second at 14:30 on every fourth day, and every ninth day missing.
 */
function fourMonthsOfBackups(dir: string): Date[] {
  const dates: Date[] = [];
  for (let i = 0; i < 121; i++) {
    if (i % 9 === 4) continue;
    const day = Date.UTC(2024, 11, 1) + i * DAY;
    dates.push(new Date(day + 2 * 3_600_000));
    if (i % 4 === 1) dates.push(new Date(day + 14.5 * 3_600_000));
  }
  for (const date of dates) writeSyntheticBackup(dir, date);
  return dates.sort((a, b) => b.getTime() - a.getTime());
}

/** ISO 8601 week ("2025-W01") of a UTC date: the week belongs to the year of its Thursday. */
function isoWeek(date: Date): string {
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  thursday.setUTCDate(thursday.getUTCDate() + 4 - (thursday.getUTCDay() || 7));
  const week = Math.floor((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / DAY / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

type Policy = { last: number; daily: number; weekly: number; monthly: number };

/** The backups a restic-style policy keeps, from newest-first dates, plus the protected one. */
function expectedSurvivors(newestFirst: Date[], policy: Policy, protectedDate: Date): string[] {
  const keep = new Set<Date>(newestFirst.slice(0, policy.last));
  const buckets: Array<[number, (d: Date) => string]> = [
    [policy.daily, (d) => d.toISOString().slice(0, 10)],
    [policy.weekly, isoWeek],
    [policy.monthly, (d) => d.toISOString().slice(0, 7)],
  ];
  for (const [count, bucketOf] of buckets) {
    const seen = new Set<string>();
    for (const date of newestFirst) {
      if (seen.size >= count) break;
      const bucket = bucketOf(date);
      if (!seen.has(bucket)) {
        seen.add(bucket);
        keep.add(date);
      }
    }
  }
  keep.add(protectedDate);
  return [...keep].map((d) => `app-${stampOf(d)}.sqlite3`).sort();
}

const name = (stamp: string) => `app-${stamp}.sqlite3`;

describe('prune', () => {
  it('dry run changes nothing; --apply keeps exactly what the default policy says', async ({ skip }) => {
    requireOrSkip(unavailable, skip);
    const dir = newDir();
    const dates = fourMonthsOfBackups(dir);
    expect(dates.length).toBeGreaterThan(110);

    const before = snapshotDir(dir);
    const dry = await run('prune.sh', [], { BACKUP_DIR: dir });
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/dry run: would keep 13 backups and delete \d+/);
    expect(snapshotDir(dir)).toBe(before);

    const applied = await run('prune.sh', ['--apply'], { BACKUP_DIR: dir });
    expect(applied.exitCode, applied.stderr).toBe(0);
    const survivors = backupsIn(dir);
    expect(survivors).toEqual(expectedSurvivors(dates, { last: 7, daily: 7, weekly: 4, monthly: 6 }, dates[0]!));
    // Worked out by hand from the calendar:
    expect(survivors).toHaveLength(13);
    for (const kept of ['20241231T020000Z', '20250131T143000Z', '20250228T143000Z', '20250316T143000Z', '20250322T020000Z', '20250325T020000Z', '20250328T020000Z']) {
      expect(survivors).toContain(name(kept));
    }
    for (const gone of ['20241201T020000Z', '20250131T020000Z', '20250316T020000Z', '20250324T143000Z', '20250324T020000Z']) {
      expect(survivors).not.toContain(name(gone));
    }
    // Sidecars go with their backup and stay with the survivors.
    expect(listDir(dir)).toEqual(survivors.flatMap((n) => [n, `${n}.json`, `${n}.sha256`]).sort());
  });

  it('buckets weeks by ISO week across the year boundary', async ({ skip }) => {
    requireOrSkip(unavailable, skip);
    const dir = newDir();
    const dates = fourMonthsOfBackups(dir);
    const result = await run('prune.sh', ['--keep-last', '1', '--keep-daily', '0', '--keep-weekly=20', '--keep-monthly', '0', '--apply'], { BACKUP_DIR: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const survivors = backupsIn(dir);
    expect(survivors).toEqual(expectedSurvivors(dates, { last: 1, daily: 0, weekly: 20, monthly: 0 }, dates[0]!));
    // 2024-12-30 and -31 are in ISO week 2025-W01, whose newest backup is 2025-01-05.
    expect(survivors).toContain(name('20250105T020000Z'));
    expect(survivors).toContain(name('20241229T020000Z'));
    expect(survivors).not.toContain(name('20241231T020000Z'));
    expect(survivors).not.toContain(name('20241230T143000Z'));
  });

  it('never deletes the newest backup whose checksum verifies', async ({ skip }) => {
    requireOrSkip(unavailable, skip);
    const dir = newDir();
    fourMonthsOfBackups(dir);
    // The newest backup is corrupt: the protection moves to the next one.
    writeFileSync(join(dir, name('20250331T020000Z')), 'corrupted');
    const zero = ['--keep-last', '0', '--keep-daily', '0', '--keep-weekly', '0', '--keep-monthly', '0'];
    const dry = await run('prune.sh', zero, { BACKUP_DIR: dir });
    expect(dry.stdout).toContain(`keep    ${name('20250330T020000Z')}  (newest-verified)`);
    const result = await run('prune.sh', [...zero, '--apply'], { BACKUP_DIR: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(listDir(dir)).toEqual([name('20250330T020000Z'), `${name('20250330T020000Z')}.json`, `${name('20250330T020000Z')}.sha256`]);
  });

  it('rejects bad options and reports an empty directory', async ({ skip }) => {
    requireOrSkip(unavailable, skip);
    const bad = await run('prune.sh', ['--keep-daily', 'many'], { BACKUP_DIR: newDir() });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--keep-daily needs a whole number/);
    const empty = await run('prune.sh', ['--apply'], { BACKUP_DIR: newDir() });
    expect(empty.exitCode).toBe(0);
    expect(empty.stdout).toMatch(/no backups/);
  });
});

describe('list --max-age', () => {
  it('passes with a fresh backup and shows checksum status', async ({ skip }) => {
    requireOrSkip(unavailable, skip);
    const dir = newDir();
    const fresh = writeSyntheticBackup(dir, new Date(Date.now() - 3_600_000));
    const bad = writeSyntheticBackup(dir, new Date(Date.now() - 2 * DAY));
    writeFileSync(join(dir, bad), 'tampered');
    const missing = writeSyntheticBackup(dir, new Date(Date.now() - 3 * DAY));
    removeDir(join(dir, `${missing}.sha256`));

    const result = await run('list.sh', ['--max-age', '26h'], { BACKUP_DIR: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = result.stdout.split('\n').filter((l) => /^\d{4}-\d\d-\d\d /.test(l));
    expect(rows.map((r) => r.split(/\s+/).at(-1))).toEqual([fresh, bad, missing]);
    expect(rows.map((r) => r.split(/\s+/).at(-2))).toEqual(['ok', 'BAD', 'missing']);
  });

  it('fails when the newest good backup is too old, or there is none', async ({ skip }) => {
    requireOrSkip(unavailable, skip);
    const old = newDir();
    writeSyntheticBackup(old, new Date(Date.now() - 3 * DAY));
    const stale = await run('list.sh', ['--max-age', '26h'], { BACKUP_DIR: old });
    expect(stale.exitCode).not.toBe(0);
    expect(stale.stderr).toMatch(/older than --max-age 26h/);
    expect((await run('list.sh', ['--max-age', '4d'], { BACKUP_DIR: old })).exitCode).toBe(0);
    expect((await run('list.sh', ['--max-age', '2d'], { BACKUP_DIR: old })).exitCode).not.toBe(0);

    // A fresh backup that fails its checksum does not count.
    const tampered = writeSyntheticBackup(old, new Date(Date.now() - 60_000));
    writeFileSync(join(old, tampered), 'tampered');
    expect((await run('list.sh', ['--max-age', '26h'], { BACKUP_DIR: old })).exitCode).not.toBe(0);

    const none = await run('list.sh', ['--max-age', '26h'], { BACKUP_DIR: newDir() });
    expect(none.exitCode).not.toBe(0);
    expect(none.stderr).toMatch(/no backup with a valid checksum/);

    const badUnit = await run('list.sh', ['--max-age', '26'], { BACKUP_DIR: old });
    expect(badUnit.exitCode).toBe(2);
  });
});
