"""Load shedding: requests that waited too long for a thread are answered 503 at once.

gunicorn's threaded worker (gunicorn/workers/gthread.py) accepts connections beyond its
threads and queues each readable one for the thread pool, with no bound on how long it
waits there. Under more load than the threads can serve, every request waits longer than
the last, clients (and proxies) give up, and the worker goes on spending its threads on
answers nobody reads, long after the burst is over.

`SheddingThreadWorker` notes when each connection joins the queue. When a thread takes a
request that waited longer than `max_queue_wait` (REQUEST_QUEUE_TIMEOUT_MS) while a standing
queue remains behind it (more than a short burst), it answers 503 problem+json with
`Retry-After: 1` and closes the connection without running the application: a stale
request costs a header parse, so the queue empties quickly and the requests behind it are
served in time. The probes are always served (they are cheap): a
liveness probe failing under load would get a busy but healthy instance restarted, a
readiness one would take it out of the load balancer, and both make the overload worse.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import TConn, ThreadWorker

from gunicorn_errors import problem_response

PROBE_PATHS = frozenset({"/health", "/ready"})
RETRY_AFTER_SECONDS = 1
OVERLOADED = problem_response(
    503,
    "Service Unavailable",
    "The server is overloaded. Try again shortly.",
    extra_headers=(("Retry-After", str(RETRY_AFTER_SECONDS)),),
)
# A body left unread would make the close reset the connection, and the client could lose
# the 503: what is left of it is read first (it is usually in the socket buffer already).
DRAIN_SECONDS = 0.5
# Shed requests are logged as a count, at most once per interval per worker: a line each
# would add work exactly when the worker has none to spare.
LOG_INTERVAL_SECONDS = 5.0


class SheddingThreadWorker(ThreadWorker):
    # Seconds a request may wait for a thread; gunicorn.conf.py sets it from
    # REQUEST_QUEUE_TIMEOUT_MS.
    max_queue_wait = 0.5
    # Only a standing queue is shed: a short burst (a page of parallel logins, each an
    # Argon2 hash) may wait longer on a busy machine and is still served, while at most
    # this many requests per thread wait behind it.
    burst_per_thread = 8

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue_lock = threading.Lock()
        self._queued = 0
        self._shed_lock = threading.Lock()
        self._shed_count = 0
        self._shed_logged_at = 0.0

    def enqueue_req(self, conn: TConn) -> None:
        # On the main thread, as a connection (new, or kept alive and readable again)
        # joins the thread pool's queue.
        conn.queued_at = time.monotonic()
        with self._queue_lock:
            self._queued += 1
        super().enqueue_req(conn)

    def handle(self, conn: TConn) -> Any:
        # On a pool thread, as it takes the connection: how long the client then takes to
        # send its request is not time spent in this server's queue.
        conn.queue_wait = time.monotonic() - conn.queued_at
        with self._queue_lock:
            self._queued -= 1
            conn.waiting_behind = self._queued
        conn.shed = False
        return super().handle(conn)

    def handle_request(self, req: Any, conn: TConn) -> bool:
        # The request line and headers are parsed; the application has not run.
        standing_queue = conn.waiting_behind >= self.burst_per_thread * self.cfg.threads
        waited_too_long = conn.queue_wait > self.max_queue_wait and standing_queue
        if waited_too_long and req.path not in PROBE_PATHS:
            self._shed(conn)
            return False
        served: bool = super().handle_request(req, conn)
        return served

    def finish_request(self, conn: TConn, fs: Future[Any]) -> None:
        if getattr(conn, "shed", False):
            # Closed by _shed(). gunicorn's own close lingers up to 2 s for the client's
            # FIN on this (main) thread, which would stall accepting meanwhile.
            self.nr_conns -= 1
            return
        super().finish_request(conn, fs)

    def _shed(self, conn: TConn) -> None:
        """Answer 503 and close the connection, on this thread."""
        conn.shed = True
        try:
            util.write(conn.sock, OVERLOADED)
            conn.parser.finish_body(deadline=time.monotonic() + DRAIN_SECONDS)
        except OSError:
            pass  # the client has left: there is no one to answer
        finally:
            util.close(conn.sock)
        self._count_shed()

    def _count_shed(self) -> None:
        now = time.monotonic()
        with self._shed_lock:
            self._shed_count += 1
            if now - self._shed_logged_at < LOG_INTERVAL_SECONDS:
                return
            count, self._shed_count, self._shed_logged_at = self._shed_count, 0, now
        self.log.warning(
            "overloaded: answered 503 to %d request(s) that waited over %d ms for a thread",
            count,
            round(self.max_queue_wait * 1000),
        )
