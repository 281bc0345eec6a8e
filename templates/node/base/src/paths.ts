import { fileURLToPath } from 'node:url';

/**
 * The project root: the parent of `src/` when running sources and of `dist/` when running the
 * build, so relative paths (the SQLite file, `.env`, `openapi.json`) do not depend on the cwd.
 */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
