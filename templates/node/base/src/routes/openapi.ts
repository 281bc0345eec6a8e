import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { FastifyInstance } from 'fastify';

import { projectRoot } from '../paths.js';

/** Serves the project's OpenAPI document, read once at startup. */
export function openapiRoute(app: FastifyInstance): void {
  const document = readFileSync(join(projectRoot, 'openapi.json'));
  app.get('/openapi.json', (_request, reply) => reply.type('application/json').send(document));
}
