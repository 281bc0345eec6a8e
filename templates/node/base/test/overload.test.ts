import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_TIMEOUTS } from '../src/config.js';
import { OVERLOAD_RETRY_AFTER_SECONDS } from '../src/http/overload.js';
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

describe('server timeouts', () => {
  it('bound how long a client may take to send a request and keep a connection idle', () => {
    expect(t.app.server.headersTimeout).toBe(SERVER_TIMEOUTS.headersTimeoutMs);
    expect(t.app.server.requestTimeout).toBe(SERVER_TIMEOUTS.requestTimeoutMs);
    expect(t.app.server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveTimeoutMs);
    expect(SERVER_TIMEOUTS.headersTimeoutMs).toBeLessThanOrEqual(SERVER_TIMEOUTS.requestTimeoutMs);
  });
});
