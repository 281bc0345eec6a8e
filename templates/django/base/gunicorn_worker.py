"""gunicorn's threaded worker, answering 503 to the requests that waited too long for a thread.

gthread accepts every connection it can hold and queues it for its threads, with no bound
on how long a request may wait. Under more load than the threads can serve, each request
waits longer than the last, clients (and the proxies in front) give up, and the worker
then spends its threads on answers nobody reads, long after the burst is over.

`SheddingThreadWorker` notes when each connection joins the queue. When a thread takes a
request that waited longer than `max_queue_wait` (GUNICORN_QUEUE_TIMEOUT) while a standing
queue remains behind it (more than a short burst), it answers 503
problem+json with `Retry-After` and closes the connection without running the app, so the
queue empties quickly and the requests behind it are served in time. The probes are always
served: they cost next to nothing, and a liveness (or readiness) probe failing because the
server is busy would get a working instance restarted (or taken out of the load balancer),
which makes the overload worse for the others.

Built on gunicorn's `ThreadWorker` (gunicorn/workers/gthread.py): `enqueue_req` hands a
connection to the thread pool, `handle` runs on the thread, `handle_request` once the
request line and headers are parsed, and `finish_request` (on the main thread) keeps the
connection alive or closes it.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from gunicorn_errors import problem_response

ALWAYS_SERVED = frozenset({"/health", "/ready"})
RETRY_AFTER_SECONDS = 1
OVERLOADED = problem_response(
    503,
    "Service Unavailable",
    "The server is overloaded. Try again shortly.",
    headers=(("Retry-After", str(RETRY_AFTER_SECONDS)),),
)
# A body left unread would make closing the connection reset it, and the client could lose
# the 503: it is read and dropped first, for this long at most (a body still arriving then
# gets gunicorn's own lingering close).
DRAIN_SECONDS = 0.1
# Shedding is logged as a count, once a second at most: a line per 503 would add work
# exactly when there is no time for it.
REPORT_EVERY_SECONDS = 1.0


class SheddingThreadWorker(ThreadWorker):
    # Seconds a request may wait for a thread; gunicorn.conf.py sets it from
    # GUNICORN_QUEUE_TIMEOUT.
    max_queue_wait = 0.5
    # Only a standing queue is shed: a short burst (a page of parallel logins, each an
    # Argon2 hash) may wait longer and is still served, while this many requests per
    # thread still wait behind it at most.
    burst_per_thread = 8

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue_lock = threading.Lock()
        self._queued = 0
        self._shed_lock = threading.Lock()
        self._shed_count = 0
        self._shed_reported_at = 0.0

    def enqueue_req(self, conn: Any) -> None:
        # On the main thread, as the connection (new, or kept alive and readable again)
        # joins the thread pool's queue.
        conn.queued_at = time.monotonic()
        with self._queue_lock:
            self._queued += 1
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        # Measured as a thread takes the connection: the time the client then takes to
        # send its request is not the server's queue.
        conn.queue_wait = time.monotonic() - conn.queued_at
        with self._queue_lock:
            self._queued -= 1
            conn.waiting_behind = self._queued
        conn.shed = False
        return super().handle(conn)

    def handle_request(self, req: Any, conn: Any) -> bool:
        standing_queue = conn.waiting_behind >= self.burst_per_thread * self.cfg.threads
        waited_too_long = conn.queue_wait > self.max_queue_wait and standing_queue
        if waited_too_long and req.path not in ALWAYS_SERVED:
            self._shed(conn)
            return False
        served: bool = super().handle_request(req, conn)
        return served

    def finish_request(self, conn: Any, fs: Any) -> None:
        if getattr(conn, "shed", False):
            # The request was read whole and answered 503: a plain close sends the answer
            # and FIN. gunicorn's own close lingers for the client's FIN on this (main)
            # thread, which would hold up accepting connections when it matters most.
            self.nr_conns -= 1
            conn.close()
            return
        super().finish_request(conn, fs)

    def _shed(self, conn: Any) -> None:
        conn.shed = conn.parser.finish_body(deadline=time.monotonic() + DRAIN_SECONDS)
        self._report_shed()
        conn.sock.sendall(OVERLOADED)

    def _report_shed(self) -> None:
        now = time.monotonic()
        with self._shed_lock:
            self._shed_count += 1
            if now - self._shed_reported_at < REPORT_EVERY_SECONDS:
                return
            count, self._shed_count, self._shed_reported_at = self._shed_count, 0, now
        self.log.warning(
            "overloaded: answered 503 to %d request(s) that waited over %.2f s for a thread",
            count,
            self.max_queue_wait,
        )
