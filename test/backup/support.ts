import { execa, type ResultPromise } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The backup scripts exactly as they are copied into every generated project. */
export const SCRIPTS = join(import.meta.dirname, '..', '..', 'templates', 'shared', 'backup', 'ops', 'backup');
export const SCRIPT_NAMES = ['backup.sh', 'restore.sh', 'verify.sh', 'list.sh', 'prune.sh'] as const;

/** Under CI a missing tool fails the run; elsewhere the test is skipped with the reason shown. */
export const STRICT = /^(1|true)$/i.test(process.env.CI ?? '');

export async function hasCommand(command: string): Promise<boolean> {
  return (await execa('sh', ['-c', `command -v ${command}`], { reject: false })).exitCode === 0;
}

/** Returns the reason the given commands cannot be used, or null when all are there. */
export async function missingCommands(commands: string[]): Promise<string | null> {
  const missing: string[] = [];
  for (const command of commands) if (!(await hasCommand(command))) missing.push(command);
  return missing.length ? `missing command(s): ${missing.join(', ')} (Debian: apt-get install sqlite3 postgresql-client age shellcheck docker-compose)` : null;
}

export function requireOrSkip(reason: string | null, skip: (note?: string) => void): void {
  if (reason === null) return;
  if (STRICT) throw new Error(`required test tool missing under CI=true: ${reason}`);
  console.warn(`SKIPPED: ${reason}`);
  skip(reason);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `backup-test-${prefix}-`));
}

// Variables the scripts read; the host's values must not leak into a test.
const SCRIPT_VARS = /^(DATABASE_URL|APP_ENV|BACKUP_.*|PG[A-Z]*)$/;

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the scripts with a clean environment plus `env`. */
export async function run(script: string, args: string[], env: Record<string, string>, scriptsDir = SCRIPTS): Promise<RunResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SCRIPT_VARS.test(k))) as Record<string, string>;
  const result = await execa(join(scriptsDir, script), args, { env: { ...base, ...env }, extendEnv: false, reject: false, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a script that must succeed; fails the test with its output otherwise. */
export async function runOk(script: string, args: string[], env: Record<string, string>): Promise<RunResult> {
  const result = await run(script, args, env);
  if (result.exitCode !== 0) throw new Error(`${script} ${args.join(' ')} exited ${result.exitCode}\n${result.stderr}\n${result.stdout}`);
  return result;
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** Overwrites a backup's .sha256 and manifest checksum/size so they match its current bytes. */
export function resealBackup(file: string): void {
  const data = readFileSync(file);
  const digest = sha256(data);
  writeFileSync(`${file}.sha256`, `${digest}  ${file.split('/').pop()}\n`);
  const manifest = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
  manifest.sha256 = digest;
  manifest.size = data.length;
  writeFileSync(`${file}.json`, JSON.stringify(manifest, null, 2));
}

/** Copies a backup and its sidecars into `dir`; returns the copy's path. */
export function copyBackup(file: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const dest = join(dir, file.split('/').pop()!);
  for (const suffix of ['', '.sha256', '.json']) copyFileSync(file + suffix, dest + suffix);
  return dest;
}

export function flipByte(file: string, offset: number): void {
  const data = readFileSync(file);
  data[offset] = data[offset]! ^ 0xff;
  writeFileSync(file, data);
}

export function truncateFile(file: string, keepFraction: number): void {
  const data = readFileSync(file);
  writeFileSync(file, data.subarray(0, Math.floor(data.length * keepFraction)));
}

export function readManifest(file: string): Record<string, any> {
  return JSON.parse(readFileSync(`${file}.json`, 'utf8'));
}

export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Names, sizes, mtimes and content hashes of a directory: equal snapshots mean nothing changed. */
export function snapshotDir(dir: string): string {
  return listDir(dir)
    .map((name) => {
      const path = join(dir, name);
      const st = statSync(path);
      return `${name} ${st.size} ${st.mtimeMs} ${sha256(readFileSync(path))}`;
    })
    .join('\n');
}

/** An age identity file and its recipient (public key). */
export async function ageIdentity(dir: string, name: string): Promise<{ identity: string; recipient: string }> {
  const identity = join(dir, `${name}.key`);
  await execa('age-keygen', ['-o', identity]);
  const recipient = (await execa('age-keygen', ['-y', identity])).stdout.trim();
  return { identity, recipient };
}

export const randomSuffix = (): string => randomBytes(4).toString('hex');

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** UTC stamp used in backup names: 20250131T020000Z. */
export function stampOf(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Writes a synthetic backup (random bytes, a matching .sha256 and a minimal manifest) named
 * for `date`; returns its file name. Retention and listing only look at names and checksums.
 */
export function writeSyntheticBackup(dir: string, date: Date, prefix = 'app'): string {
  mkdirSync(dir, { recursive: true });
  const name = `${prefix}-${stampOf(date)}.sqlite3`;
  const data = randomBytes(64 + Math.floor(Math.random() * 64));
  writeFileSync(join(dir, name), data);
  writeFileSync(join(dir, `${name}.sha256`), `${sha256(data)}  ${name}\n`);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ format_version: 1, file: name, engine: 'sqlite', sha256: sha256(data), size: data.length, row_counts: {} }));
  return name;
}

/** Test data shared by both engines: unicode, NULLs, quotes, newlines, and deleted rows. */
export const SEED_USERS = ['alice@example.com', 'bob@example.com', 'zoë@example.org', 'dmitri@пример.рф', 'eve@example.net', 'frank@example.com'];
export const SEED_NOTES: Array<[owner: number, title: string, body: string | null]> = [
  [1, 'Shopping list', 'milk\neggs\tbread'],
  [1, 'Café ☕ naïve façade', null],
  [2, '日本語のノート', 'テキスト'],
  [2, 'Quotes \'single\' "double" \\ backslash', ''],
  [3, 'Emoji 🚀🎉', 'body with 🚀'],
  [4, 'Ελληνικά', 'Γειά σου κόσμε'],
  [5, 'Will be deleted with its owner', 'cascade'],
  [6, 'Last note, deleted', 'gone'],
];

export function sqlText(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`;
}

/** Long-running writer process that inserts a user and a note per transaction until stopped. */
export class ConcurrentWriter {
  private timer: NodeJS.Timeout | undefined;
  private n = 0;
  constructor(
    private readonly proc: ResultPromise,
    private readonly statement: (n: number) => string,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.n += 1;
      this.proc.stdin!.write(this.statement(this.n) + '\n');
    }, intervalMs);
  }

  async stop(): Promise<number> {
    clearInterval(this.timer);
    this.proc.stdin!.end();
    const result = await this.proc;
    if (result.exitCode !== 0) throw new Error(`writer failed: ${String(result.stderr)}`);
    return this.n;
  }
}
