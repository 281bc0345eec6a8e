import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient } from '../../contract/lib/http.js';
import { runWrk, type LoadRequest, type LoadResult } from './wrk.js';

/** What one burst far beyond the server's capacity did to it. */
export interface OverloadResult {
  readonly burst: LoadResult;
  /** `GET /health` probes sent during the burst, each on a new connection. */
  readonly healthProbes: number;
  /** Probes that did not get a 200 within the bound (a 503 or no answer counts here). */
  readonly healthMissed: number;
  /** The slowest probe's answer, in milliseconds (the bound when one never answered). */
  readonly healthMaxMs: number;
  /** From the burst's end until the measured request is answered 200 as fast as before it. */
  readonly recoveryMs: number;
}

/** A health probe answering later than this counts as missed (the overload target). */
const HEALTH_BOUND_MS = 1000;
const PROBE_EVERY_MS = 200;
/** How long recovery is waited for before the run gives up and reports it. */
const RECOVERY_LIMIT_MS = 30_000;

async function timed(client: HttpClient, request: LoadRequest): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  try {
    const headers = { ...request.headers };
    const res = request.method === 'GET' ? await client.get(request.path, { headers }) : await client.post(request.path, { headers, body: request.body ?? '' });
    return { status: res.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

/**
 * Drives `request` with far more connections than the server can serve for `seconds`, probes
 * `/health` on fresh connections throughout, then measures how long after the burst `request`
 * is answered again at its unloaded latency (2× the median of 10 unloaded runs, at least 50 ms):
 * an app that keeps working for clients that left recovers late.
 */
export async function overload(baseUrl: string, request: LoadRequest, options: { connections: number; seconds: number }, scriptFile: string): Promise<OverloadResult> {
  const probe = new HttpClient(baseUrl, { timeoutMs: HEALTH_BOUND_MS });
  const patient = new HttpClient(baseUrl, { timeoutMs: 10_000 });
  const unloaded: number[] = [];
  for (let i = 0; i < 10; i++) unloaded.push((await timed(patient, request)).ms);
  unloaded.sort((a, b) => a - b);
  const normalMs = Math.max(50, 2 * unloaded[5]!);

  let bursting = true;
  const burst = runWrk(baseUrl, request, { ...options, countStatus: 503 }, scriptFile).finally(() => {
    bursting = false;
  });
  let probes = 0;
  let missed = 0;
  let maxMs = 0;
  await sleep(500); // let the burst reach its connection count first
  while (bursting) {
    const next = sleep(PROBE_EVERY_MS);
    const answer = await timed(probe, { method: 'GET', path: '/health' });
    probes++;
    if (answer.status !== 200 || answer.ms > HEALTH_BOUND_MS) missed++;
    maxMs = Math.max(maxMs, Math.min(answer.ms, HEALTH_BOUND_MS));
    await next;
  }
  const result = await burst;

  const ended = performance.now();
  let recoveryMs = RECOVERY_LIMIT_MS;
  while (performance.now() - ended < RECOVERY_LIMIT_MS) {
    const answer = await timed(patient, request);
    if (answer.status >= 200 && answer.status < 300 && answer.ms <= normalMs) {
      recoveryMs = performance.now() - ended;
      break;
    }
    await sleep(50);
  }
  return { burst: result, healthProbes: probes, healthMissed: missed, healthMaxMs: maxMs, recoveryMs };
}
