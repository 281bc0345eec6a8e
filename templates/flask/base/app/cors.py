"""CORS for an explicit allowlist of origins (CORS_ORIGINS).

A few lines instead of a dependency: an allowed `Origin` is echoed back, a
preflight from it is answered with 204, and any other origin gets no CORS
headers at all. Tokens travel in the Authorization header, not in cookies, so
credentials are never allowed.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, request

ALLOWED_METHODS = "GET, POST, PATCH, DELETE"
ALLOWED_HEADERS = "Authorization, Content-Type"
EXPOSED_HEADERS = "Retry-After, Location"
PREFLIGHT_MAX_AGE = "600"


def init_cors(app: Flask, origins: Iterable[str]) -> None:
    allowed = frozenset(origins)
    if not allowed:
        return

    @app.before_request
    def answer_preflight() -> Response | None:
        origin = request.headers.get("Origin")
        is_preflight = (
            request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
        )
        if not is_preflight or origin not in allowed:
            return None
        response = app.response_class(status=204)
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        return response

    @app.after_request
    def add_cors_headers(response: Response) -> Response:
        # Answers differ by Origin, so shared caches must key on it.
        response.vary.add("Origin")
        origin = request.headers.get("Origin")
        if origin in allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response
