import type { FastifyInstance } from 'fastify';

/**
 * Once the app starts closing (SIGTERM), every response that is still being answered tells its
 * client `Connection: close`, and the connection ends with it. Without this, a keep-alive client
 * holds its idle connection open after its last answer, and the server waits for it until the
 * grace period runs out. New requests meanwhile get 503 (Fastify's `return503OnClosing`).
 */
export function drainOnClose(app: FastifyInstance): () => boolean {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  return () => closing;
}
