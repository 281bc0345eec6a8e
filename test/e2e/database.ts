import { execa } from 'execa';
import { randomBytes } from 'node:crypto';

/** The local PostgreSQL server the tests create their own databases on. */
export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;

const psqlArgs = ['-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-v', 'ON_ERROR_STOP=1', '-qAt'];

/** Runs SQL through psql against `database`; returns stdout. */
export async function psql(database: string, sql: string): Promise<string> {
  return (await execa('psql', [...psqlArgs, '-d', database, '-c', sql])).stdout;
}

/** Creates a fresh database with a unique name; returns its name and URL. */
export async function createDatabase(prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await psql('postgres', `CREATE DATABASE ${name}`);
  return { name, url: `postgresql://${PG.user}@${PG.host}:${PG.port}/${name}` };
}

/** Drops a database, disconnecting anyone still on it. */
export async function dropDatabase(name: string): Promise<void> {
  await psql('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Whether the PostgreSQL server answers. */
export async function postgresAvailable(): Promise<boolean> {
  return (await execa('psql', [...psqlArgs, '-d', 'postgres', '-c', 'SELECT 1'], { reject: false })).exitCode === 0;
}
