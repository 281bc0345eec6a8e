import { once } from 'node:events';

import type { FastifyInstance } from 'fastify';

import { buildApp } from './app.js';
import {
  ConfigError,
  LISTEN_BACKLOG,
  loadConfig,
  loadDotEnv,
  type LoadedConfig,
} from './config.js';
import { openDatabase, type Database } from './db/index.js';

/**
 * Starts the server, serves until `stop` is aborted (SIGTERM), then shuts down in Kubernetes'
 * order: stop accepting connections, let the requests in flight finish (open event streams are
 * ended), close the database and Redis clients. Returns the process's exit code.
 *
 * Start-up looks at `stop` before each step that takes time, and never starts listening once it
 * is aborted; a signal that arrives while the port is being bound is handled once it is bound.
 */
export async function run(stop: AbortSignal): Promise<number> {
  loadDotEnv();
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  const { config, warnings } = loaded;
  // A function, as the answer changes while start-up awaits.
  const stopping = () => stop.aborted;
  if (stopping()) return 0;

  const db = openDatabase(config.databaseUrl, {
    onIdleError: (error) => {
      app.log.error({ err: error }, 'idle database connection failed');
    },
  });
  const app = await buildApp({ config, db });
  for (const warning of warnings) app.log.warn(warning);

  try {
    if (!stopping()) await app.ready();
    if (!stopping()) {
      await app.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG });
    }
  } catch (error) {
    app.log.fatal({ err: error }, 'could not start the server');
    await release(app, db);
    return 1;
  }

  if (!stopping()) await once(stop, 'abort');
  app.log.info({ signal: stop.reason as unknown }, 'shutting down');
  const deadline = setTimeout(() => {
    app.log.error(
      `requests still in flight after ${config.shutdownGraceSeconds} s: exiting without them`,
    );
    process.exit(1);
  }, config.shutdownGraceSeconds * 1000);
  deadline.unref();
  await release(app, db);
  clearTimeout(deadline);
  return 0;
}

/** Closes the app (its server, event streams and rate-limit store), then the database. */
async function release(app: FastifyInstance, db: Database): Promise<void> {
  await app.close();
  await db.close();
}
