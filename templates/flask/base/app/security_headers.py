"""Security headers on every response, errors included."""

from __future__ import annotations

from flask import Flask, Response, request

# A JSON API never needs to load anything or be framed.
CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"


def init_security_headers(app: Flask, *, hsts: bool) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        response.headers.update(HEADERS)
        # A response that sets its own policy keeps it: only the docs page does (routes/docs.py).
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if request.path.startswith("/api/"):
            # Responses carry user data and tokens: never cache them anywhere.
            response.headers["Cache-Control"] = "no-store"
        if hsts:
            # Only in production: HSTS on a plain-HTTP development host sticks in browsers.
            response.headers["Strict-Transport-Security"] = HSTS
        return response
