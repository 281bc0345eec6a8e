import { execa } from 'execa';

/** One HTTP request shape wrk repeats. */
export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Bodies sent in turn instead of `body` (each wrk thread cycles through them). */
  readonly bodies?: readonly string[];
  /**
   * Each connection from a loopback address of its own (bench/apps/login-load.ts drives it, not
   * wrk, which sends everything from 127.0.0.1): for endpoints limited per client address.
   */
  readonly addressPerConnection?: boolean;
}

/** What one wrk run measured. */
export interface LoadResult {
  readonly requests: number;
  readonly perSecond: number;
  /** 99th percentile latency in milliseconds. */
  readonly p99Ms: number;
  /** Responses outside 2xx/3xx plus connect, read, write and timeout errors. */
  readonly errors: number;
  readonly seconds: number;
  /** Responses with the status asked for in `countStatus` (e.g. 503s when load is shed). */
  readonly counted?: number;
}

/** The Lua script that makes wrk send `request` (wrk's defaults are GET without a body). */
function script(request: LoadRequest, countStatus?: number): string {
  const headers = Object.entries(request.headers ?? {}).map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
  return [
    `wrk.method = ${JSON.stringify(request.method)}`,
    ...(request.body === undefined ? [] : [`wrk.body = ${JSON.stringify(request.body)}`]),
    ...headers,
    ...(request.bodies === undefined
      ? []
      : [
          `local bodies = { ${request.bodies.map((b) => JSON.stringify(b)).join(', ')} }`,
          'local turn = 0',
          'request = function()',
          '  turn = turn % #bodies + 1',
          '  return wrk.format(nil, nil, nil, bodies[turn])',
          'end',
        ]),
    ...(countStatus === undefined
      ? []
      : [
          // Each wrk thread has its own Lua state: count per thread, add up in done().
          'local threads = {}',
          'setup = function(thread) table.insert(threads, thread) end',
          'counted = 0',
          `response = function(status) if status == ${countStatus} then counted = counted + 1 end end`,
        ]),
    // --latency prints percentiles itself; this adds the p99 in a line that is easy to parse.
    'done = function(summary, latency, requests)',
    ...(countStatus === undefined ? [] : ['  local sum = 0', '  for _, thread in ipairs(threads) do sum = sum + thread:get("counted") end', '  io.write(string.format("COUNTED %d\\n", sum))']),
    '  io.write(string.format("P99_US %d\\n", latency:percentile(99)))',
    '  io.write(string.format("ERRORS %d\\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))',
    '  io.write(string.format("TOTAL %d %d\\n", summary.requests, summary.duration))',
    'end',
  ].join('\n');
}

/** Drives `baseUrl` with wrk for `seconds` at `connections` and parses the summary. */
export async function runWrk(baseUrl: string, request: LoadRequest, options: { connections: number; seconds: number; threads?: number; countStatus?: number }, scriptFile: string): Promise<LoadResult> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(scriptFile, script(request, options.countStatus));
  const threads = Math.min(options.threads ?? 2, options.connections);
  const result = await execa('wrk', [`-t${threads}`, `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s', '-s', scriptFile, `${baseUrl}${request.path}`], { reject: false });
  if (result.exitCode !== 0) throw new Error(`wrk failed: ${result.stderr || result.stdout}`);
  const total = /TOTAL (\d+) (\d+)/.exec(result.stdout);
  const p99 = /P99_US (\d+)/.exec(result.stdout);
  const errors = /ERRORS (\d+)/.exec(result.stdout);
  if (!total || !p99 || !errors) throw new Error(`unexpected wrk output:\n${result.stdout}`);
  const requests = Number(total[1]);
  const seconds = Number(total[2]) / 1e6;
  const counted = /COUNTED (\d+)/.exec(result.stdout);
  return { requests, seconds, perSecond: requests / seconds, p99Ms: Number(p99[1]) / 1000, errors: Number(errors[1]), ...(counted ? { counted: Number(counted[1]) } : {}) };
}
