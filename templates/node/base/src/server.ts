import { buildApp } from './app.js';
import { ConfigError, loadConfig, loadDotEnv, type LoadedConfig } from './config.js';
import { openDatabase } from './db/index.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

loadDotEnv();
let loaded: LoadedConfig;
try {
  loaded = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const { config, warnings } = loaded;

const db = openDatabase(config.databaseUrl, {
  onIdleError: (error) => {
    app.log.error({ err: error }, 'idle database connection failed');
  },
});
const app = await buildApp({ config, db });
for (const warning of warnings) app.log.warn(warning);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  const timer = setTimeout(() => {
    app.log.error('shutdown timed out');
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS).unref();
  // Stop accepting requests and finish the ones in flight, then release the database.
  await app.close();
  await db.close();
  clearTimeout(timer);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, (received) => void shutdown(received));
}

try {
  await app.listen({ host: config.host, port: config.port });
} catch (error) {
  app.log.fatal({ err: error }, 'could not start the server');
  await db.close();
  process.exit(1);
}
