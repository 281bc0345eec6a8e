"""GET /docs: Swagger UI showing openapi.json, on and off with the document itself.

Swagger UI's script and stylesheet are files of the flask-openapi-swagger package, served
by the app itself from a fixed list: no CDN, and the page works under gunicorn without a
web server for static files.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from flask import Blueprint, Response, current_app

from ..config import Settings
from ..errors import ProblemError

bp = Blueprint("docs", __name__)

# The only HTML page of the API, so the only response whose policy lets it load its own
# script, stylesheet and images, and fetch openapi.json. Swagger UI sets inline styles
# from its script, hence 'unsafe-inline' for styles (never for scripts).
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)

# Read as package data: the package itself (a flask-openapi plugin) is never imported.
SWAGGER_UI_DIR = files("flask_openapi_swagger") / "templates" / "swagger"
DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"
DOCS_PAGE = DOCS_DIR / "index.html"
DOCS_ASSETS: dict[str, tuple[Traversable, str]] = {
    "swagger-ui.css": (SWAGGER_UI_DIR / "css" / "swagger-ui.css", "text/css"),
    "swagger-ui-bundle.js": (SWAGGER_UI_DIR / "js" / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-initializer.js": (DOCS_DIR / "swagger-initializer.js", "text/javascript"),
}


@bp.before_request
def require_openapi_enabled() -> None:
    settings: Settings = current_app.extensions["settings"]
    if not settings.openapi_enabled:
        raise ProblemError(404, "The requested resource was not found.")


@bp.get("/docs")
def page() -> Response:
    response = current_app.response_class(DOCS_PAGE.read_bytes(), mimetype="text/html")
    response.headers["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
    return response


@bp.get("/docs/<name>")
def asset(name: str) -> Response:
    if name not in DOCS_ASSETS:
        raise ProblemError(404, "The requested resource was not found.")
    path, mimetype = DOCS_ASSETS[name]
    return current_app.response_class(path.read_bytes(), mimetype=mimetype)
