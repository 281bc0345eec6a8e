import { createServer, type RequestListener, type Server } from 'node:http';

import { SERVER_TIMEOUTS } from '../config.js';

/** What `GET /health` answers: the process is up. The route in routes/health.ts returns it too. */
export const LIVE = { status: 'ok' } as const;

/**
 * Fastify's `serverFactory`: Node's HTTP server with the app's timeouts, which answers the
 * liveness probe itself and hands every other request to Fastify.
 *
 * Probes arrive every few seconds from each orchestrator and load balancer, and their answer
 * never changes: routing, five hooks and a reply object per probe would cost the server about a
 * third more than the answer itself. The answer carries the app's security headers, as every
 * response does. Only the plain probe is answered here (GET, exactly `/health`, a Host header, no
 * body, no Origin: a browser's request gets its CORS headers from Fastify); anything else, and
 * every probe once the app is closing (Fastify then answers 503), goes through Fastify, where
 * `/health` is an ordinary route.
 */
export function answerProbesFirst(
  headers: Readonly<Record<string, string>>,
  closing: () => boolean,
): (handler: RequestListener) => Server {
  const body = JSON.stringify(LIVE);
  const answer = {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
  };
  return (handler) => {
    const server = createServer(
      // Host is checked by the app (errors.ts), so its 400 looks like every other error.
      { requireHostHeader: false, headersTimeout: SERVER_TIMEOUTS.headersTimeoutMs },
      (request, response) => {
        if (
          request.url === '/health' &&
          request.method === 'GET' &&
          request.headers.host !== undefined &&
          request.headers.origin === undefined &&
          request.headers['content-length'] === undefined &&
          request.headers['transfer-encoding'] === undefined &&
          !closing()
        ) {
          response.writeHead(200, answer).end(body);
        } else {
          handler(request, response);
        }
      },
    );
    // What Fastify sets on a server it creates itself.
    server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeoutMs;
    server.requestTimeout = SERVER_TIMEOUTS.requestTimeoutMs;
    return server;
  };
}
