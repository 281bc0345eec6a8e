import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';

/** What a user's stream tells them: which of their records changed, not its content. */
export interface UserEvent {
  /** `<resource>.created`, `<resource>.updated` or `<resource>.deleted`, e.g. `note.created`. */
  type: string;
  id: number;
}

/** A comment line every so often keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;

const CLOSING = Symbol('closing');

/**
 * Hands each user's events to that user's open streams, and to nobody else's. It lives in this
 * process: with several instances, a user's stream may be held by another one, so publish through
 * a shared bus instead (Redis pub/sub, PostgreSQL LISTEN/NOTIFY) with the same two methods.
 */
export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // One listener per open stream: the default cap of 10 would only produce warnings.
    this.#emitter.setMaxListeners(0);
  }

  publish(userId: number, event: UserEvent): void {
    this.#emitter.emit(`user:${userId}`, event);
  }

  /** Calls `listener` with each event of `userId` until the returned function is called. */
  subscribe(userId: number, listener: (event: UserEvent) => void): () => void {
    this.#emitter.on(`user:${userId}`, listener);
    return () => this.#emitter.off(`user:${userId}`, listener);
  }

  /** How many streams of `userId` are open here. */
  subscribers(userId: number): number {
    return this.#emitter.listenerCount(`user:${userId}`);
  }

  /** Calls `listener` once when the server shuts down, so open streams end instead of blocking it. */
  onClose(listener: () => void): () => void {
    this.#emitter.once(CLOSING, listener);
    return () => this.#emitter.off(CLOSING, listener);
  }

  close(): void {
    this.#emitter.emit(CLOSING);
  }
}

export interface EventRoutesOptions {
  events: EventBus;
  /** Admits only requests with a valid access token of an existing user. */
  authenticate: onRequestAsyncHookHandler;
}

/** `GET /api/v1/events`: a server-sent-events stream of the caller's own events. */
export function eventRoutes(app: FastifyInstance, options: EventRoutesOptions): void {
  const { events, authenticate } = options;
  app.addHook('onRequest', authenticate);
  app.addHook('preClose', (done) => {
    events.close();
    done();
  });

  app.get('/', (request, reply) => {
    const stream = new PassThrough();
    const unsubscribe = events.subscribe(request.userId, (event) => {
      stream.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const stopOnClose = events.onClose(() => stream.end());
    // Whoever ends it (the client disconnecting, or shutdown), nothing keeps writing to it.
    reply.raw.once('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      stopOnClose();
      stream.end();
    });
    // Sent at once, so the client knows the stream is open before any event happens.
    stream.write(': connected\n\n');
    return reply
      .header('cache-control', 'no-store')
      .header('x-accel-buffering', 'no') // nginx: pass events on as they come
      .type('text/event-stream; charset=utf-8')
      .send(stream);
  });
}
