"""Authentication events: one log line each, saying what happened, to which account and
from which client address.

Written to the ``auth.events`` logger when AUTH_EVENT_LOG is on (the default in projects
that handle sensitive data). A line never holds a password, a token or the submitted
email: people type passwords into the email field.
"""

from __future__ import annotations

import logging

from flask import current_app, request

from .config import Settings

logger = logging.getLogger("auth.events")


def record(event: str, user_id: int | None = None) -> None:
    """Log ``event`` (e.g. ``login.failed``) as ``key=value`` pairs, easy to parse and grep.

    The fields are also on the record as ``auth_event``, for a handler that writes JSON.
    """
    settings: Settings = current_app.extensions["settings"]
    if not settings.auth_event_log:
        return
    fields = {
        "event": event,
        "user_id": "-" if user_id is None else str(user_id),
        # The peer, or the client a trusted proxy forwarded (app/proxies.py): what the
        # rate limits count.
        "client": request.remote_addr or "-",
    }
    logger.info(" ".join(f"{k}={v}" for k, v in fields.items()), extra={"auth_event": fields})
