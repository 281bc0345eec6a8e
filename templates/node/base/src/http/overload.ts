import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';

import { HttpError } from './problem.js';

/** How long an overloaded server asks clients to wait before retrying. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 5;

/**
 * A flood of connections: new ones have kept waiting to be accepted (one accepted at each turn of
 * the event loop, for at least `FLOOD_MIN_TURNS` turns in a row) for this long. A pool of clients
 * opening its connections at once on a server that keeps up is accepted well within it; a health
 * probe behind a real flood still gets in within a second.
 */
export const FLOOD_WAIT_MS = 250;

/** So that a single slow turn (a GC pause while a few clients connect) is not taken for a flood. */
export const FLOOD_MIN_TURNS = 32;

/**
 * During a flood, how long one turn of the event loop serves requests before shedding the rest:
 * about one request. A turn of a millisecond accepts a thousand waiting connections a second.
 */
export const FLOOD_TURN_BUDGET_MS = 0.25;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `@fastify/under-pressure`'s per-route override; see `ALWAYS_ANSWER`. */
    pressureHandler?: () => void;
  }
}

/** What a request gets while the server sheds load: a problem answer, like every error. */
class OverloadedError extends HttpError {
  constructor() {
    super(503, 'The server is overloaded: retry shortly', {
      headers: { 'retry-after': String(OVERLOAD_RETRY_AFTER_SECONDS) },
    });
  }
}

/**
 * Route config of what must answer even under pressure: liveness. A 503 there would have the
 * orchestrator restart a process that is merely busy. (`/ready` may shed: a busy instance then
 * gets less traffic.)
 */
export const ALWAYS_ANSWER = { pressureHandler: () => undefined } as const;

/**
 * Sheds the excess of a flood of connections (more clients than the server can serve, each sending
 * again as soon as it is answered). Node accepts one new connection per turn of its event loop,
 * and a turn serves every busy connection already open: with hundreds of them, turns last long
 * and a new connection, a health probe's included, waits seconds in the kernel's queue. So while
 * connections keep waiting (`FLOOD_WAIT_MS`), a turn serves requests for `FLOOD_TURN_BUDGET_MS`, and
 * answers the others 503 and closes their connections: turns stay short and the queue moves.
 * Without a flood (keep-alive clients, however busy), nothing is shed.
 */
function shedConnectionFloods(app: FastifyInstance): void {
  let turn = 0;
  let turnStartedAt = 0;
  let inTurn = false;
  let lastAcceptTurn = Number.NEGATIVE_INFINITY;
  let lastAcceptAt = Number.NEGATIVE_INFINITY;
  let acceptStreak = 0;
  let streakStartedAt = 0;
  const endTurn = () => {
    inTurn = false;
    turn++;
  };
  // A turn starts with the first connection or request the loop handles, and ends in the
  // loop's check phase (setImmediate), after all the I/O of that turn.
  const enterTurn = () => {
    if (inTurn) return;
    inTurn = true;
    turnStartedAt = performance.now();
    setImmediate(endTurn);
  };

  app.server.on('connection', () => {
    enterTurn();
    const now = performance.now();
    // In a row: one was accepted in the turn before too, and not before a pause.
    const inARow = lastAcceptTurn >= turn - 1 && now - lastAcceptAt < 1000;
    acceptStreak = inARow ? acceptStreak + 1 : 1;
    if (!inARow) streakStartedAt = now;
    lastAcceptTurn = turn;
    lastAcceptAt = now;
  });
  app.addHook('onRequest', (request, reply, done) => {
    enterTurn();
    const now = performance.now();
    if (
      acceptStreak >= FLOOD_MIN_TURNS &&
      lastAcceptTurn >= turn - 1 &&
      now - streakStartedAt >= FLOOD_WAIT_MS &&
      now - turnStartedAt > FLOOD_TURN_BUDGET_MS &&
      request.routeOptions.config.pressureHandler !== ALWAYS_ANSWER.pressureHandler
    ) {
      // Closed, so that it stops taking a share of every turn; its client reconnects later.
      reply.header('connection', 'close');
      done(new OverloadedError());
      return;
    }
    done();
  });
}

/**
 * Sheds load when the event loop lags (`MAX_EVENT_LOOP_DELAY_MS`, sampled each second): every
 * request queued behind a saturated loop would answer too late for a client that has likely
 * given up, so new ones get a cheap 503 until the backlog is gone. And sheds the excess of a
 * flood of connections as it arrives (`shedConnectionFloods`). 0 turns both off.
 */
export async function registerOverloadProtection(
  app: FastifyInstance,
  maxEventLoopDelayMs: number,
): Promise<void> {
  if (maxEventLoopDelayMs === 0) return;
  shedConnectionFloods(app);
  await app.register(underPressure, {
    maxEventLoopDelay: maxEventLoopDelayMs,
    retryAfter: OVERLOAD_RETRY_AFTER_SECONDS,
    customError: OverloadedError,
  });
}
