// The `migrate` script: applies pending migrations to the database DATABASE_URL names.
import { loadDotEnv, readDatabaseUrl } from '../config.js';
import { openDatabase } from './index.js';
import { migrate } from './migrator.js';
import { describeTarget, parseDatabaseUrl } from './url.js';

loadDotEnv();
const url = readDatabaseUrl();
const db = openDatabase(url);
try {
  const applied = await migrate(db);
  const target = describeTarget(parseDatabaseUrl(url));
  if (applied.length === 0) console.log(`${target}: up to date`);
  for (const migration of applied) {
    console.log(`${target}: applied ${migration.version} ${migration.name}`);
  }
} catch (error) {
  console.error('Migration failed:', error);
  process.exitCode = 1;
} finally {
  await db.close();
}
