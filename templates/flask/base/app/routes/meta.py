"""Probes and the API description."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..config import PROJECT_ROOT, Settings
from ..database import db_session
from ..errors import ProblemError

bp = Blueprint("meta", __name__)


@bp.get("/health")
def health() -> Response:
    """Liveness: the process answers. Never touches the database."""
    return jsonify(status="ok")


@bp.get("/ready")
def ready() -> Response:
    """Readiness: the database answers a query."""
    try:
        db_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.warning("Readiness check failed", exc_info=True)
        raise ProblemError(503, "The database is unavailable.") from None
    return jsonify(status="ok")


@bp.get("/openapi.json")
def openapi() -> Response:
    settings: Settings = current_app.extensions["settings"]
    if not settings.openapi_enabled:
        raise ProblemError(404, "The requested resource was not found.")
    document = (PROJECT_ROOT / "openapi.json").read_bytes()
    return current_app.response_class(document, mimetype="application/json")
