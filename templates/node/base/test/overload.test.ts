import { connect, type AddressInfo, type Socket } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_TIMEOUTS } from '../src/config.js';
import { FLOOD_MIN_TURNS, OVERLOAD_RETRY_AFTER_SECONDS } from '../src/http/overload.js';
import { createTestApp, expectProblem, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  // A low threshold, so that blocking the loop below is enough to cross it.
  t = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '50' });
});
afterAll(() => t.close());

/** Keeps the event loop busy, as a flood of requests would. */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const notes = () => t.app.inject({ method: 'GET', url: '/api/v1/notes' });

describe('overload', () => {
  it('sheds requests with 503 and Retry-After while the loop lags, /health still answers', async () => {
    expect((await notes()).statusCode).toBe(401);
    blockEventLoop(1_500);

    // The lag is sampled once a second.
    let shed = await notes();
    for (let i = 0; shed.statusCode !== 503 && i < 120; i++) {
      await sleep(25);
      shed = await notes();
    }
    const health = await t.app.inject({ method: 'GET', url: '/health' });

    expectProblem(shed, 503);
    expect(shed.headers['retry-after']).toBe(String(OVERLOAD_RETRY_AFTER_SECONDS));
    expect(shed.headers['x-content-type-options']).toBe('nosniff');
    expect(health.statusCode).toBe(200);

    // And it recovers on its own once the loop is idle again.
    let after = await notes();
    for (let i = 0; after.statusCode === 503 && i < 120; i++) {
      await sleep(25);
      after = await notes();
    }
    expect(after.statusCode).toBe(401);
  });
});

/** One response read off a raw connection: status, headers (lower-case) and body. */
interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Takes the first complete response off `buffer`, or undefined while it is incomplete. */
function takeResponse(buffer: { data: string }): RawResponse | undefined {
  const end = buffer.data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = buffer.data.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  const length = Number(headers['content-length'] ?? 0);
  if (buffer.data.length < end + 4 + length) return undefined;
  const body = buffer.data.slice(end + 4, end + 4 + length);
  buffer.data = buffer.data.slice(end + 4 + length);
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

/** A client that asks `path` again as soon as it is answered, reconnecting when closed. */
function hammer(port: number, path: string, until: () => boolean, seen: RawResponse[]): void {
  const socket: Socket = connect(port, '127.0.0.1');
  const buffer = { data: '' };
  const ask = () => socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  socket.setEncoding('latin1');
  socket.on('connect', ask);
  socket.on('data', (chunk: string) => {
    buffer.data += chunk;
    for (let response = takeResponse(buffer); response; response = takeResponse(buffer)) {
      seen.push(response);
      if (until()) socket.destroy();
      else if (response.headers.connection !== 'close') ask();
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    if (!until()) hammer(port, path, until, seen);
  });
}

/** `GET path` on a connection of its own, as a health probe sends it. */
function probe(port: number, path: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    });
    const buffer = { data: '' };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffer.data += chunk;
      const response = takeResponse(buffer);
      if (response) {
        socket.destroy();
        resolve(response);
      }
    });
    socket.on('error', reject);
  });
}

describe('a flood of connections', () => {
  let live: TestApp;
  beforeAll(async () => {
    // Only the flood's shedding here, not the event loop's (which needs a second of lag).
    live = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '60000' });
    await live.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => live.close());

  it('is shed with 503 and closed connections, while /health on a new connection answers', async () => {
    const { port } = live.app.server.address() as AddressInfo;
    const seen: RawResponse[] = [];
    let over = false;
    const until = () => over;
    // Far more clients than the server serves in a turn, all connecting at once and each
    // asking again as soon as it is answered: the last of them wait long to be accepted.
    for (let i = 0; i < 400; i++) hammer(port, '/api/v1/notes', until, seen);

    let shed: RawResponse | undefined;
    for (let i = 0; !shed && i < 200; i++) {
      await sleep(25);
      shed = seen.find((response) => response.status === 503);
    }
    const health = await probe(port, '/health');
    over = true;

    expect(shed?.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(shed?.headers['retry-after']).toBe(String(OVERLOAD_RETRY_AFTER_SECONDS));
    // Closed, so that the client does not take a share of every turn of the loop.
    expect(shed?.headers.connection).toBe('close');
    expect(shed?.headers['x-content-type-options']).toBe('nosniff');
    expect(health.status).toBe(200);
    // Clients that are served keep being served: only the excess is shed.
    expect(seen.some((response) => response.status === 401)).toBe(true);

    // Once the flood is over, nothing is shed.
    await sleep(1_100);
    expect((await probe(port, '/api/v1/notes')).status).toBe(401);
  });

  it('does not shed a pool of clients connecting at once to a server that keeps up', async () => {
    const { port } = live.app.server.address() as AddressInfo;
    // Accepted one per turn, so the pool is a long streak of turns, but short ones.
    const answers = await Promise.all(
      Array.from({ length: 4 * FLOOD_MIN_TURNS }, () => probe(port, '/api/v1/notes')),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 401));
  });
});

describe('server timeouts', () => {
  it('bound how long a client may take to send a request and keep a connection idle', () => {
    expect(t.app.server.headersTimeout).toBe(SERVER_TIMEOUTS.headersTimeoutMs);
    expect(t.app.server.requestTimeout).toBe(SERVER_TIMEOUTS.requestTimeoutMs);
    expect(t.app.server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveTimeoutMs);
    expect(SERVER_TIMEOUTS.headersTimeoutMs).toBeLessThanOrEqual(SERVER_TIMEOUTS.requestTimeoutMs);
  });
});
