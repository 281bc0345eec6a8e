import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { FastifyInstance, FastifyReply } from 'fastify';

import { projectRoot } from '../paths.js';

/**
 * The docs page alone may load its own script, stylesheet and images, and fetch openapi.json;
 * every other response keeps `default-src 'none'`. Swagger UI sets inline styles from its
 * script, hence 'unsafe-inline' for styles (never for scripts).
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

// Starts Swagger UI on the project's own document. A file rather than an inline script, so that
// script-src can stay 'self'; no validator badge, which would call a third-party service.
const INITIALIZER = `window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
  });
});
`;

interface Asset {
  type: string;
  body: Buffer | string;
}

/**
 * `GET /docs`: Swagger UI showing `openapi.json`, with its assets served from the
 * `swagger-ui-dist` package by the app itself (no CDN). Registered with the document, so the
 * same switch (OPENAPI_ENABLED, off in production) turns both on and off.
 */
export function docsRoutes(app: FastifyInstance): void {
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const document = JSON.parse(readFileSync(join(projectRoot, 'openapi.json'), 'utf8')) as {
    info?: { title?: string };
  };
  const assets: Record<string, Asset> = {
    'swagger-ui.css': {
      type: 'text/css; charset=utf-8',
      body: readFileSync(join(dist, 'swagger-ui.css')),
    },
    'swagger-ui-bundle.js': {
      type: 'text/javascript; charset=utf-8',
      body: readFileSync(join(dist, 'swagger-ui-bundle.js')),
    },
    'swagger-initializer.js': { type: 'text/javascript; charset=utf-8', body: INITIALIZER },
  };
  const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(document.info?.title ?? 'API')}</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-initializer.js"></script>
</body>
</html>
`;

  const send = (reply: FastifyReply, { type, body }: Asset) =>
    reply.header('content-security-policy', DOCS_CSP).type(type).send(body);

  app.get('/docs', (_request, reply) =>
    send(reply, { type: 'text/html; charset=utf-8', body: page }),
  );
  for (const [name, asset] of Object.entries(assets)) {
    app.get(`/docs/${name}`, (_request, reply) => send(reply, asset));
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
