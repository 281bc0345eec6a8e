"""Application factory."""

from __future__ import annotations

import logging

from flask import Flask

from .config import ConfigError, Settings, load_settings, secret_problem
from .cors import init_cors
from .database import Database
from .errors import register_error_handlers
from .routes import auth, meta, notes
from .security_headers import init_security_headers
from .throttle import LoginThrottle
from .validation import JSONRequest

MAX_BODY_BYTES = 1024 * 1024


def create_app(settings: Settings | None = None) -> Flask:
    """Build the application. Raises ConfigError when the configuration is unusable."""
    settings = settings or load_settings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    app = Flask(__name__, static_folder=None)  # a JSON API serves no static files
    if settings.is_production and app.debug:
        # The Werkzeug debugger executes code from the browser: never in production.
        raise ConfigError("FLASK_DEBUG must be off when APP_ENV=production")
    if problem := secret_problem(settings.jwt_secret):
        app.logger.warning("JWT_SECRET %s (tolerated outside production only)", problem)

    app.request_class = JSONRequest
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY_BYTES, TESTING=settings.app_env == "test")
    app.json.sort_keys = False  # keep fields in the order the views list them
    app.extensions["settings"] = settings
    app.extensions["login_throttle"] = LoginThrottle(settings.ratelimit_storage_uri)
    Database(settings.database_url).init_app(app)

    init_cors(app, settings.cors_origins)
    init_security_headers(app, hsts=settings.is_production)
    register_error_handlers(app)
    app.register_blueprint(meta.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(notes.bp)
    return app
