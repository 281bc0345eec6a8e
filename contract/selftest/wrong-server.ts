import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  url: string;
  close: () => Promise<void>;
  /** The source addresses the server has seen connections from. */
  peers: () => ReadonlySet<string>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const fakeToken = (sub: string): string =>
  [
    { alg: 'HS256', typ: 'JWT' },
    { sub, iss: 'wrong', aud: 'wrong', iat: 0, exp: 60 },
  ]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .concat('signature')
    .join('.');

/**
 * A server that gets the contract wrong in known ways: `/health` is right, accounts can be
 * created and logged into, notes can be created and listed (an empty list), and everything else answers 200 `{}` with a framework banner, no
 * security headers, no authentication and no validation.
 */
export function startWrongServer(): Promise<RunningServer> {
  let nextId = 1;
  const peers = new Set<string>();
  const server = http.createServer((req, res) => {
    peers.add(req.socket.remoteAddress ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client that hangs up mid-body (checks do, on purpose) must not crash the test run.
    req.on('error', () => undefined);
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        let text: string;
        try {
          text = JSON.stringify(body);
        } catch {
          [status, text] = [500, '{}'];
        }
        res.writeHead(status, { 'Content-Type': 'application/json', 'X-Powered-By': 'Express', Server: 'node/20.0.0', ...headers });
        res.end(text);
      };
      let input: Record<string, unknown> = {};
      try {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
        // A body that is not an object (the property phase sends `null`, arrays, numbers) is
        // read as an empty one: wrong, but this server must answer, not crash the test run.
        if (typeof parsed === 'object' && parsed !== null) input = parsed as Record<string, unknown>;
      } catch {
        // Malformed JSON is not noticed: one of the ways this server is wrong.
      }
      const path = req.url?.split('?')[0];
      if (req.method === 'GET' && path === '/health') return send(200, { status: 'ok' }, SECURITY_HEADERS);
      if (req.method === 'POST' && path === '/api/v1/auth/register') {
        return send(201, { id: nextId++, email: String(input.email).trim().toLowerCase() });
      }
      if (req.method === 'POST' && path === '/api/v1/auth/login') {
        return send(200, { access_token: fakeToken('1'), token_type: 'Bearer', expires_in: 60 });
      }
      if (req.method === 'POST' && path === '/api/v1/notes') {
        const now = new Date().toISOString();
        return send(201, { id: nextId++, title: input.title, body: input.body ?? null, created_at: now, updated_at: now });
      }
      if (req.method === 'GET' && path === '/api/v1/notes') return send(200, { items: [], total: 0, limit: 20, offset: 0 });
      return send(200, {});
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
        peers: () => peers,
      });
    });
  });
}
