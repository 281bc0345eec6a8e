import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../src/config.js';
import {
  createTestApp,
  expectProblem,
  PASSWORD,
  register,
  uniqueEmail,
  type TestApp,
} from './helpers.js';

/** The proxy these tests trust, and a peer outside its range. */
const PROXY_RANGE = '192.0.2.0/24';
const PROXY = '192.0.2.10';
const STRANGER = '203.0.113.7';

describe('TRUSTED_PROXIES', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUSTED_PROXIES: `${PROXY_RANGE}, 2001:db8:aa::1` });
  });
  afterAll(() => t.close());

  const failedLogin = (email: string, remoteAddress: string, forwardedFor: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { email, password: 'wrong password!' },
    });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const { email } = await register(t.app);
    for (let i = 1; i <= 5; i++) {
      expectProblem(await failedLogin(email, STRANGER, `198.51.100.${i}`), 401);
    }
    // Rotating the header changes nothing: the peer itself is the client, and it is throttled.
    expectProblem(await failedLogin(email, STRANGER, '198.51.100.99'), 429);
  });

  it('believes X-Forwarded-For from a trusted proxy: each forwarded address is a client', async () => {
    const email = uniqueEmail();
    for (let i = 1; i <= 8; i++) {
      expectProblem(await failedLogin(email, PROXY, `198.51.100.${100 + i}`), 401);
    }
  });

  it('takes the right-most address that is not a trusted proxy, not what the client prepended', async () => {
    const email = uniqueEmail();
    // The client forges the left part; the proxies append the real address, then their own.
    for (let i = 1; i <= 5; i++) {
      const chain = `10.9.9.${i}, 198.51.100.200, 192.0.2.11`;
      expectProblem(await failedLogin(email, PROXY, chain), 401);
    }
    expectProblem(await failedLogin(email, PROXY, '10.9.9.99, 198.51.100.200'), 429);
  });

  it('accepts IPv6 entries and refuses anything that is not an address or range', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8,::1,2001:db8::/32' }).config).toMatchObject({
      trustedProxies: ['10.0.0.0/8', '::1', '2001:db8::/32'],
    });
    for (const invalid of [
      '10.0.0.0/33',
      'proxy.internal',
      '10.0.0/8',
      '2001:db8::/129',
      '1.2.3.4/',
    ]) {
      expect(() => loadConfig({ TRUSTED_PROXIES: invalid }), invalid).toThrow(ConfigError);
      expect(() => loadConfig({ TRUSTED_PROXIES: invalid }), invalid).toThrow(/TRUSTED_PROXIES/);
    }
  });
});

describe('without TRUSTED_PROXIES', () => {
  it('trusts no proxy: the socket peer is the client', () => {
    expect(loadConfig({}).config.trustedProxies).toEqual([]);
  });

  it('answers a forwarded request as coming from its peer', async () => {
    const t = await createTestApp();
    try {
      const { email } = await register(t.app);
      for (let i = 1; i <= 5; i++) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: PROXY,
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
          payload: { email, password: 'wrong password!' },
        });
        expectProblem(response, 401);
      }
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: PROXY,
        headers: { 'x-forwarded-for': '198.51.100.77' },
        payload: { email, password: PASSWORD },
      });
      expectProblem(response, 429);
    } finally {
      await t.close();
    }
  });
});
