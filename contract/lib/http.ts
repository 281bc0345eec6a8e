import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  method: string;
  /** The path as requested, query string included. */
  path: string;
  status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  /** The parsed body, or `undefined` when the body is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  /** A list value sends the header once per entry, in order (e.g. two `Authorization` lines). */
  headers?: Record<string, string | string[]>;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Serialised with JSON.stringify and sent as `application/json`. */
  json?: unknown;
  /** A raw body; give its content type in `headers`. */
  body?: string | Buffer;
}

const CHUNK = 64 * 1024;
const EARLY_ANSWER_THRESHOLD = 256 * 1024;
const EARLY_ANSWER_WAIT_MS = 300;

export interface ClientOptions {
  timeoutMs?: number;
  /** The source address every connection is bound to (an IPv4 loopback address). */
  localAddress?: string;
}

/**
 * A deliberately plain HTTP client: one connection per request and only the headers the
 * caller sets, so a check sees exactly what the server does with a given request. The method
 * and the path are sent as given (any token, no normalisation of `//`, `..` or percent-escapes).
 */
export class HttpClient {
  private readonly base: URL;
  private readonly timeoutMs: number;
  /** The source address of this client's connections, when it is bound to one. */
  readonly localAddress: string | undefined;

  constructor(baseUrl: string, options: ClientOptions = {}) {
    this.base = new URL(baseUrl);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new Error(`baseUrl must be an http(s) URL, got ${baseUrl}`);
    }
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.localAddress = options.localAddress;
  }

  /** The same server, reached from another source address (`undefined`: the system's choice). */
  withAddress(localAddress: string | undefined): HttpClient {
    return new HttpClient(this.base.href, { timeoutMs: this.timeoutMs, ...(localAddress === undefined ? {} : { localAddress }) });
  }
  /** Whether the server is reached over TLS. */
  get isHttps(): boolean {
    return this.base.protocol === 'https:';
  }

  /** node:http options for one request to the server, from this client's source address. */
  requestOptions(method: string, path: string, headers: http.OutgoingHttpHeaders): http.RequestOptions {
    return {
      hostname: this.base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.base.port || (this.isHttps ? 443 : 80),
      // Verbatim: a URL object would resolve dot segments and re-encode the path.
      path: this.base.pathname.replace(/\/$/, '') + path,
      method,
      headers,
      agent: false,
      timeout: this.timeoutMs,
      // A loopback source address other than 127.0.0.1 only reaches the server over IPv4.
      ...(this.localAddress === undefined ? {} : { localAddress: this.localAddress, family: 4 }),
    };
  }


  get(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.request('POST', path, options);
  }

  patch(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.request('PATCH', path, options);
  }

  delete(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.request('DELETE', path, options);
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string | string[]> = { ...options.headers };
    let body: Buffer | undefined;
    if (options.json !== undefined) {
      body = Buffer.from(JSON.stringify(options.json), 'utf8');
      headers['Content-Type'] ??= 'application/json';
    } else if (options.body !== undefined) {
      body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
    }
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    if (options.token !== undefined) headers['Authorization'] = `Bearer ${options.token}`;

    const transport = this.isHttps ? https : http;
    const label = `${method} ${path.length > 100 ? `${path.slice(0, 100)}… (${path.length} chars)` : path}`;
    const target = this.requestOptions(method, path, headers);

    return new Promise((resolve, reject) => {
      let responded = false;
      const req = transport.request(target, (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(new Error(`${label}: response failed: ${error.message}`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ method, path, status: res.statusCode ?? 0, headers: flat, text, json: parseJson(text) });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no response within ${this.timeoutMs} ms`)));
      // A server may answer (413, 415) and close before the whole body is sent; the answer counts.
      req.on('error', (error) => {
        if (!responded) reject(new Error(`${label}: request failed: ${error.message}`));
      });
      void writeBody(req, body, () => responded || req.destroyed);
    });
  }
}

/** A response whose body stays open (server-sent events), read as it arrives. */
export interface OpenStream {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Everything received so far. */
  readonly received: () => string;
  /** Resolves once the received text matches, or rejects after `timeoutMs`. */
  readonly waitFor: (pattern: RegExp, timeoutMs: number) => Promise<string>;
  readonly close: () => void;
}

/**
 * Opens `GET path` and resolves as soon as the status and headers arrive, leaving the body open.
 * Used for `text/event-stream`, which a normal request would wait on forever.
 */
export function openStream(client: HttpClient, path: string, token?: string, timeoutMs = 15_000): Promise<OpenStream> {
  const target = client.requestOptions('GET', path, { Accept: 'text/event-stream', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) });
  return new Promise((resolve, reject) => {
    const req = (client.isHttps ? https : http).request(target, (res) => {
      let text = '';
      const waiters = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        for (const wake of waiters) wake();
      });
      res.on('error', () => undefined);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      resolve({
        status: res.statusCode ?? 0,
        headers,
        received: () => text,
        waitFor: (pattern, waitMs) =>
          new Promise((found, missed) => {
            const check = (): void => {
              if (!pattern.test(text)) return;
              clearTimeout(timer);
              waiters.delete(check);
              found(text);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              missed(new Error(`GET ${path}: no ${pattern} within ${waitMs} ms; received ${JSON.stringify(text.slice(-300))}`));
            }, waitMs);
            waiters.add(check);
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${path}: no response within ${timeoutMs} ms`)));
    req.on('error', (error) => reject(new Error(`GET ${path}: request failed: ${error.message}`)));
    req.end();
  });
}

/**
 * Streams the body in chunks, and stops as soon as the server has answered. A server may refuse
 * a large body from its headers alone (413) and close the connection; writing on would reset it
 * and lose the answer, so a large body waits briefly for such an early answer before it is sent.
 */
async function writeBody(req: http.ClientRequest, body: Buffer | undefined, answered: () => boolean): Promise<void> {
  if (body !== undefined && body.length > EARLY_ANSWER_THRESHOLD) {
    req.flushHeaders();
    for (let waited = 0; waited < EARLY_ANSWER_WAIT_MS && !answered(); waited += 10) await sleep(10);
  }
  if (body !== undefined) {
    for (let at = 0; at < body.length && !answered() && !req.destroyed; at += CHUNK) {
      if (!req.write(body.subarray(at, at + CHUNK))) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            req.off('drain', done).off('close', done);
            resolve();
          };
          req.on('drain', done).on('close', done);
        });
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  if (!req.destroyed) req.end();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
