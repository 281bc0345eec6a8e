"""Bearer-token authentication for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import current_app, g, request

from . import events
from .config import Settings
from .database import db_session
from .errors import unauthorized
from .models import User
from .tokens import InvalidTokenError, verify_token

P = ParamSpec("P")
R = TypeVar("R")


def authenticate() -> None:
    """Load the user named by the request's bearer token into `g.user`, or answer 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("A bearer token is required.")
    if "," in token:
        # Repeated Authorization headers reach the application joined by commas, which
        # no JWT contains: which of them would be meant is anyone's guess.
        events.record("token.rejected")
        raise unauthorized("Send exactly one Authorization header.")
    settings: Settings = current_app.extensions["settings"]
    try:
        user_id = verify_token(token.strip(), settings)
    except InvalidTokenError:
        events.record("token.rejected")
        raise unauthorized("The token is invalid or has expired.") from None
    user = db_session().get(User, user_id)
    if user is None:
        events.record("token.rejected", user_id)
        raise unauthorized("The token is invalid or has expired.")
    g.user = user


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        authenticate()
        return view(*args, **kwargs)

    return wrapper


def current_user() -> User:
    user: User = g.user
    return user
