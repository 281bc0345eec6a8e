import { connect, type Socket } from 'node:net';

/** A response read off the wire: the status line's parts, headers (lower-cased names) and body. */
export interface RawResponse {
  readonly status: number;
  readonly reason: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Parses one HTTP/1.x response (no chunked bodies: the servers tested here send Content-Length). */
export function parseResponse(data: Buffer): RawResponse {
  const text = data.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete response head in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine!);
  if (!match) throw new Error(`not a status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(match[1]), reason: match[2]!, headers, body: text.slice(end + 4) };
}

/**
 * Sends `request` byte for byte (no client library normalises it) on a new connection to
 * 127.0.0.1:`port` and reads until the server closes it; rejects when that takes over `timeoutMs`.
 * A reset after a complete response (a server closing with unread request bytes) still counts.
 */
export function rawRequest(port: number, request: string, timeoutMs = 5_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(request, 'latin1'));
    const timer = setTimeout(() => socket.destroy(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // 'close' follows and decides
    socket.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(socket.errored ?? error);
      }
    });
  });
}

/** GET /health on a new connection; the status and how long the answer took. */
export async function timedHealth(port: number, timeoutMs: number): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', timeoutMs);
  return { status: response.status, ms: Math.round(performance.now() - started) };
}

/** Connections that never finish their request, as a slowloris attack holds them. */
export interface SlowClients {
  /** How many of them the server has not closed. */
  readonly open: () => number;
  readonly close: () => void;
}

/**
 * Opens `count` connections to 127.0.0.1:`port` that each send a request line, then one more
 * header line every `intervalMs`, and never the blank line that ends the headers; or, with
 * `body`, complete headers of a JSON POST and then one byte of its body every `intervalMs`.
 */
export async function slowClients(port: number, count: number, { body = false, intervalMs = 1_500 } = {}): Promise<SlowClients> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () => new Promise<Socket>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
    })),
  );
  let closed = 0;
  for (const socket of sockets) {
    socket.on('error', () => undefined);
    socket.on('close', () => closed++);
    socket.resume(); // whatever the server answers (a timeout, say) is read and dropped
    socket.write(
      body
        ? 'POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n\r\n{'
        : 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    );
  }
  let line = 0;
  const timer = setInterval(() => {
    line++;
    for (const socket of sockets) if (!socket.destroyed) socket.write(body ? ' ' : `X-Slow-${line}: y\r\n`);
  }, intervalMs);
  return {
    open: () => count - closed,
    close: () => {
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
}
