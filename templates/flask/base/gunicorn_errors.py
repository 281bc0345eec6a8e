"""Problem details for the requests gunicorn rejects itself.

gunicorn answers some requests before the application sees them: a malformed request
line, method or HTTP version (400), a request line over `limit_request_line` (414), too
many or too large header fields (431), an unsupported transfer coding (501). It sends a
small HTML page that echoes part of the request and carries none of the application's
security headers, and it has no setting to change that.

Every worker class writes those responses through `gunicorn.util.write_error(sock,
status, reason, message)` (see `Worker.handle_error` in gunicorn/workers/base.py), so
`install()` swaps that one function for `write_problem`, which answers RFC 9457
problem+json with the same headers as the application's own errors.
"""

import json
import socket

from gunicorn import util

HEADERS = (
    ("Content-Type", "application/problem+json"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
)


def problem_response(
    status: int,
    reason: str,
    detail: str | None = None,
    *,
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """A complete HTTP/1.1 problem+json response that closes the connection."""
    problem: dict[str, object] = {"type": "about:blank", "title": reason, "status": status}
    if detail:
        problem["detail"] = detail
    body = json.dumps(problem, separators=(",", ":"))
    lines = [
        f"HTTP/1.1 {status} {reason}",
        # Closed after a rejected request (where the next one would start is unknown) and
        # after a shed one (gunicorn_overload.py).
        "Connection: close",
        *(f"{name}: {value}" for name, value in (*HEADERS, *extra_headers)),
        f"Content-Length: {len(body)}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode("latin-1")


def write_problem(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """`gunicorn.util.write_error`'s contract, answered as problem+json.

    `mesg` is gunicorn's detail ("Invalid HTTP request line: '...'"). It quotes the
    request and gunicorn logs the error already, so the client gets the reason only.
    """
    util.write_nonblock(sock, problem_response(status_int, reason))


def install() -> None:
    """Called from gunicorn.conf.py, in the master: forked workers inherit it."""
    util.write_error = write_problem
