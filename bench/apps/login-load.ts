import { SourceAddresses } from '../../contract/lib/addresses.js';
import { HttpClient } from '../../contract/lib/http.js';
import type { LoadRequest, LoadResult } from './wrk.js';

/**
 * `request` from `connections` clients at once, each from a loopback address of its own, for
 * `seconds`. wrk sends every connection from 127.0.0.1, and the apps allow one address 30
 * logins in flight (reserved before the password check), so wrk at 32 connections would
 * measure the throttle's 429s, not the password hashing. Its `bodies` are taken in turn.
 */
export async function runLogins(baseUrl: string, request: LoadRequest, options: { connections: number; seconds: number }): Promise<LoadResult> {
  const bodies = request.bodies ?? [request.body ?? ''];
  const addresses = SourceAddresses.loopback();
  const latencies: number[] = [];
  let errors = 0;
  let turn = 0;
  const started = performance.now();
  const until = started + options.seconds * 1000;
  const client = async (localAddress: string | undefined): Promise<void> => {
    const http = new HttpClient(baseUrl, { timeoutMs: 10_000, ...(localAddress === undefined ? {} : { localAddress }) });
    while (performance.now() < until) {
      const body = bodies[turn++ % bodies.length]!;
      const sent = performance.now();
      try {
        const res = await http.post(request.path, { body, headers: { ...request.headers } });
        if (res.status < 200 || res.status > 299) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, () => client(addresses.take())));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p99Ms = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0;
  return { requests: latencies.length, seconds, perSecond: latencies.length / seconds, p99Ms, errors };
}
